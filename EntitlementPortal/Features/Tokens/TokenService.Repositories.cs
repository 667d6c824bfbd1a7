using EntitlementPortal.Data;
using EntitlementPortal.Features.Audit;
using EntitlementPortal.Features.Shared;
using Microsoft.EntityFrameworkCore;

namespace EntitlementPortal.Features.Tokens;

public sealed partial class TokenService
{
    /// <summary>A public repository needs no tokens: making one public disables its active tokens (same transaction).</summary>
    internal async Task<int> DisableAllInRepositoryAsync(AppDbContext db, Actor actor, int repositoryId, CancellationToken cancellationToken)
    {
        var tokens = await db.Set<EntitlementToken>()
            .Where(t => t.RepositoryId == repositoryId && t.IsActive && !t.IsDeleted)
            .ToListAsync(cancellationToken);
        var now = clock.GetUtcNow().UtcDateTime;
        foreach (var token in tokens)
        {
            token.IsActive = false;
            token.UpdatedAt = now;
            audit.Record(db, actor, AuditActions.Update, AuditEntityTypes.Token, token.Id.ToString(),
                $"Disabled token '{token.Name}' because its repository was made public.");
        }
        return tokens.Count;
    }

    internal static Task<int> CountActiveInRepositoryAsync(AppDbContext db, int repositoryId, CancellationToken cancellationToken) =>
        db.Set<EntitlementToken>().CountAsync(t => t.RepositoryId == repositoryId && t.IsActive && !t.IsDeleted, cancellationToken);
}
