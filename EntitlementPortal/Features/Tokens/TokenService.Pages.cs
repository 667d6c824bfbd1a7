using EntitlementPortal.Features.Permissions;
using EntitlementPortal.Features.Shared;
using Microsoft.EntityFrameworkCore;

namespace EntitlementPortal.Features.Tokens;

/// <summary>Lifecycle facts the token detail page shows beyond <see cref="TokenView"/>.</summary>
public sealed record TokenHistory(string? RefreshedBy, DateTime? PreviousSecretValidUntil, DateTime? DeletedAt);

public sealed partial class TokenService
{
    /// <summary>Who refreshed the secret last, until when the previous secret still works, and when the token was deleted.</summary>
    public async Task<TokenHistory> GetHistoryAsync(Actor actor, string repo, int id, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await StandingsAsync(db, actor, repo, Permission.ViewTokens, cancellationToken);
        var now = clock.GetUtcNow().UtcDateTime;
        return await db.Set<EntitlementToken>().AsNoTracking()
            .Where(t => t.Id == id && t.Repository!.Slug == repo && t.Kind == TokenKind.Standard)
            .Select(t => new TokenHistory(
                t.RefreshedBy,
                t.PreviousSecretValidUntil > now ? t.PreviousSecretValidUntil : null,
                t.DeletedAt))
            .FirstOrDefaultAsync(cancellationToken)
            ?? throw new NotFoundException($"Token {id} in repository '{repo}'");
    }
}
