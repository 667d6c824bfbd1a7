using EntitlementPortal.Data;
using EntitlementPortal.Features.Audit;
using EntitlementPortal.Features.Shared;
using EntitlementPortal.Features.Webhooks;
using Microsoft.EntityFrameworkCore;

namespace EntitlementPortal.Features.Tokens;

/// <summary>What making a repository public does to its tokens; part of that change's unit of work (RepositoryService).</summary>
internal static class TokensOfRepository
{
    /// <summary>A public repository needs no tokens: making one public disables its active tokens (same transaction).</summary>
    public static async Task<int> DisableAllAsync(AppDbContext db, AuditTrail audit, WebhookEvents webhooks, Actor actor, int repositoryId, DateTime now, CancellationToken cancellationToken)
    {
        var tokens = await db.Set<EntitlementToken>().Include(t => t.Repository)
            .Where(t => t.RepositoryId == repositoryId && t.IsActive && !t.IsDeleted)
            .ToListAsync(cancellationToken);
        foreach (var token in tokens)
        {
            token.IsActive = false;
            token.UpdatedAt = now;
            audit.Record(db, actor, AuditActions.Update, AuditEntityTypes.Token, token.Id.ToString(),
                $"Disabled token '{token.Name}' because its repository was made public.");
            await webhooks.RaiseTokenAsync(db, WebhookEventNames.TokenDisabled, token, token.Repository!.Slug, cancellationToken);
        }
        return tokens.Count;
    }

    public static Task<int> CountActiveAsync(AppDbContext db, int repositoryId, CancellationToken cancellationToken) =>
        db.Set<EntitlementToken>().CountAsync(t => t.RepositoryId == repositoryId && t.IsActive && !t.IsDeleted, cancellationToken);
}
