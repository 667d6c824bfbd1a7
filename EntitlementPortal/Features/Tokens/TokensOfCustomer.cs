using EntitlementPortal.Data;
using EntitlementPortal.Features.Audit;
using EntitlementPortal.Features.Repositories;
using EntitlementPortal.Features.Shared;
using EntitlementPortal.Features.Webhooks;
using Microsoft.EntityFrameworkCore;

namespace EntitlementPortal.Features.Tokens;

/// <summary>
/// What revoking and reinstating a customer does to the customer's tokens. Part of the status change's unit of
/// work (CustomerService): the tokens change in the same transaction as the customer.
/// </summary>
internal static class TokensOfCustomer
{
    /// <summary>Disables every active token of the customer and marks them, so reinstating re-enables exactly those and not tokens disabled by hand.</summary>
    public static async Task<int> SuspendAsync(AppDbContext db, AuditTrail audit, WebhookEvents webhooks, Actor actor, int customerId, DateTime now, CancellationToken cancellationToken)
    {
        var tokens = await db.Set<EntitlementToken>().Include(t => t.Repository)
            .Where(t => t.CustomerId == customerId && t.IsActive && !t.IsDeleted)
            .ToListAsync(cancellationToken);
        foreach (var token in tokens)
        {
            token.IsActive = false;
            token.SuspendedWithCustomer = true;
            token.UpdatedAt = now;
            audit.Record(db, actor, AuditActions.Update, AuditEntityTypes.Token, token.Id.ToString(),
                $"Disabled token '{token.Name}' because its customer was revoked.");
            await webhooks.RaiseTokenAsync(db, WebhookEventNames.TokenDisabled, token, token.Repository!.Slug, cancellationToken);
        }
        return tokens.Count;
    }

    /// <summary>
    /// Re-enables the tokens the revocation disabled, within the plan allowance, which the caller's transaction
    /// then holds until it commits.
    /// </summary>
    public static async Task<int> ResumeAsync(
        AppDbContext db, AuditTrail audit, WebhookEvents webhooks, PlanAllowance allowance, Actor actor, int customerId, DateTime now, CancellationToken cancellationToken)
    {
        await allowance.HoldAsync(db, cancellationToken);
        var tokens = await db.Set<EntitlementToken>().Include(t => t.Repository)
            .Where(t => t.CustomerId == customerId && t.SuspendedWithCustomer && !t.IsDeleted)
            .ToListAsync(cancellationToken);
        // A token whose repository went public meanwhile stays disabled; it no longer waits for the customer.
        foreach (var stranded in tokens.Where(t => t.Repository!.Visibility == RepositoryVisibility.Public))
        {
            stranded.SuspendedWithCustomer = false;
        }
        tokens.RemoveAll(t => t.Repository!.Visibility == RepositoryVisibility.Public);
        var resuming = tokens.Count(t => t.Kind == TokenKind.Standard);
        if (!allowance.IsUnlimited && resuming > 0 && await PlanAllowance.CountActiveAsync(db, cancellationToken) + resuming > allowance.Max)
        {
            throw new ConflictException("status",
                $"Reinstating would re-enable {TokenDisplay.Count(resuming, "token")}, but the plan allows {TokenDisplay.Count(allowance.Max, "active token")}. Disable or delete other tokens first. Nothing was changed.");
        }
        foreach (var token in tokens)
        {
            token.IsActive = true;
            token.SuspendedWithCustomer = false;
            token.UpdatedAt = now;
            audit.Record(db, actor, AuditActions.Update, AuditEntityTypes.Token, token.Id.ToString(),
                $"Enabled token '{token.Name}' again because its customer was reinstated.");
            await webhooks.RaiseTokenAsync(db, WebhookEventNames.TokenEnabled, token, token.Repository!.Slug, cancellationToken);
        }
        return tokens.Count;
    }
}
