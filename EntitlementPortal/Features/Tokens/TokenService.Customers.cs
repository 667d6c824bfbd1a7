using EntitlementPortal.Data;
using EntitlementPortal.Features.Audit;
using EntitlementPortal.Features.Shared;
using Microsoft.EntityFrameworkCore;

namespace EntitlementPortal.Features.Tokens;

public sealed partial class TokenService
{
    /// <summary>
    /// Customer revoked: disables every active token of theirs in the caller's context (same transaction as the
    /// status change) and marks them, so reinstating re-enables exactly those and not tokens disabled by hand.
    /// </summary>
    internal async Task<int> SuspendForCustomerAsync(AppDbContext db, Actor actor, int customerId, CancellationToken cancellationToken)
    {
        var tokens = await db.Set<EntitlementToken>()
            .Where(t => t.CustomerId == customerId && t.IsActive && !t.IsDeleted)
            .ToListAsync(cancellationToken);
        var now = clock.GetUtcNow().UtcDateTime;
        foreach (var token in tokens)
        {
            token.IsActive = false;
            token.SuspendedWithCustomer = true;
            token.UpdatedAt = now;
            audit.Record(db, actor, AuditActions.Update, AuditEntityTypes.Token, token.Id.ToString(),
                $"Disabled token '{token.Name}' because its customer was revoked.");
        }
        return tokens.Count;
    }

    /// <summary>
    /// Customer reinstated: re-enables the tokens the revocation disabled, within the plan allowance. Runs in the
    /// caller's transaction (with the status change), which then holds the allowance until it commits.
    /// </summary>
    internal async Task<int> ResumeForCustomerAsync(AppDbContext db, Actor actor, int customerId, CancellationToken cancellationToken)
    {
        var max = await HoldAllowanceAsync(db, cancellationToken);
        var tokens = await db.Set<EntitlementToken>().Include(t => t.Repository)
            .Where(t => t.CustomerId == customerId && t.SuspendedWithCustomer && !t.IsDeleted)
            .ToListAsync(cancellationToken);
        // A token whose repository went public meanwhile stays disabled; it no longer waits for the customer.
        foreach (var stranded in tokens.Where(t => t.Repository!.Visibility == Repositories.RepositoryVisibility.Public))
        {
            stranded.SuspendedWithCustomer = false;
        }
        tokens.RemoveAll(t => t.Repository!.Visibility == Repositories.RepositoryVisibility.Public);
        var resuming = tokens.Count(t => t.Kind == TokenKind.Standard);
        if (max is { } allowed && resuming > 0 && await CountActiveAsync(db, cancellationToken) + resuming > allowed)
        {
            throw new ConflictException("status",
                $"Reinstating would re-enable {resuming} tokens, but the plan allows {allowed} active tokens. Disable or delete other tokens first. Nothing was changed.");
        }
        var now = clock.GetUtcNow().UtcDateTime;
        foreach (var token in tokens)
        {
            token.IsActive = true;
            token.SuspendedWithCustomer = false;
            token.UpdatedAt = now;
            audit.Record(db, actor, AuditActions.Update, AuditEntityTypes.Token, token.Id.ToString(),
                $"Enabled token '{token.Name}' again because its customer was reinstated.");
        }
        return tokens.Count;
    }
}
