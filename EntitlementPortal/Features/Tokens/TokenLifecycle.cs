using EntitlementPortal.Data;
using EntitlementPortal.Features.Audit;
using EntitlementPortal.Features.Customers;
using EntitlementPortal.Features.Permissions;
using EntitlementPortal.Features.Shared;
using EntitlementPortal.Features.Webhooks;
using FluentValidation;
using FluentValidation.Results;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace EntitlementPortal.Features.Tokens;

/// <summary>A standard token's life after creation: disable and enable, refresh the secret, reset the usage, delete.</summary>
public sealed class TokenLifecycle(
    IDbContextFactory<AppDbContext> dbFactory,
    TokenAccess access,
    TokenSecretProtector secrets,
    IOptionsMonitor<PlanOptions> plan,
    AuditTrail audit,
    WebhookEvents webhooks,
    TimeProvider clock)
{
    public Task<TokenView> DisableAsync(Actor actor, string repo, int id, CancellationToken cancellationToken = default) =>
        SetActiveAsync(actor, repo, id, active: false, cancellationToken);

    public Task<TokenView> EnableAsync(Actor actor, string repo, int id, CancellationToken cancellationToken = default) =>
        SetActiveAsync(actor, repo, id, active: true, cancellationToken);

    private async Task<TokenView> SetActiveAsync(Actor actor, string repo, int id, bool active, CancellationToken cancellationToken)
    {
        var standings = await access.EnsureAsync(actor, repo, Permission.ManageTokens, cancellationToken);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var token = await TokenRows.FindStandardAsync(db, repo, id, cancellationToken);
        TokenRows.EnsureNotDeleted(token);
        if (active)
        {
            TokenRows.EnsurePrivate(token);
        }
        if (active && token.Customer?.Status == CustomerStatus.Revoked)
        {
            throw new ConflictException(nameof(TokenInput.IsActive),
                $"Customer '{token.Customer.Name}' is revoked: reinstate the customer to enable their tokens.");
        }
        if (token.IsActive != active)
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            if (active)
            {
                await PlanAllowance.From(plan.CurrentValue).EnsureRoomForOneAsync(db, cancellationToken);
            }
            token.SuspendedWithCustomer = false;
            token.IsActive = active;
            token.UpdatedAt = clock.GetUtcNow().UtcDateTime;
            audit.Record(db, actor, AuditActions.Update, AuditEntityTypes.Token, token.Id.ToString(),
                $"{(active ? "Enabled" : "Disabled")} token '{token.Name}' in {repo}.");
            // Writes first, then the webhook read: a transaction that starts with a write holds SQLite's write lock.
            await db.SaveChangesAsync(cancellationToken);
            await webhooks.RaiseTokenAsync(db, active ? WebhookEventNames.TokenEnabled : WebhookEventNames.TokenDisabled, token, repo, cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        return TokenViewMapping.ToView(token, repo, token.Customer?.Name, access.SecretFor(standings, token));
    }

    /// <summary>
    /// Gives the token a new generated secret. The old one stops working at once, or after
    /// <paramref name="graceSeconds"/> so customers can roll the new one out first.
    /// </summary>
    public async Task<TokenView> RefreshAsync(Actor actor, string repo, int id, int? graceSeconds = null, CancellationToken cancellationToken = default)
    {
        await access.EnsureAsync(actor, repo, Permission.ManageTokens, cancellationToken);
        if (graceSeconds is < 0 or > TokenRules.MaxGraceSeconds)
        {
            throw new ValidationException([new ValidationFailure("graceSeconds",
                $"graceSeconds must be between 0 and {TokenRules.MaxGraceSeconds} (30 days).")]);
        }
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var token = await TokenRows.FindStandardAsync(db, repo, id, cancellationToken);
        TokenRows.EnsureNotDeleted(token);

        var now = clock.GetUtcNow().UtcDateTime;
        var secret = TokenSecret.Generate();
        TokenRows.ReplaceSecret(token, secrets, secret, isCustom: false, actor, now,
            graceSeconds is > 0 ? TimeSpan.FromSeconds(graceSeconds.Value) : null);
        token.UpdatedAt = now;
        audit.Record(db, actor, AuditActions.Update, AuditEntityTypes.Token, token.Id.ToString(),
            $"Refreshed the secret of token '{token.Name}' in {repo} (now {token.SecretHint})"
            + (token.PreviousSecretValidUntil is { } until ? $"; the old secret works until {until:yyyy-MM-dd HH:mm:ss} UTC." : "; the old secret stopped working."));
        await webhooks.RaiseTokenAsync(db, WebhookEventNames.TokenRefreshed, token, repo, cancellationToken);
        await TokenRows.SaveAsync(db, cancellationToken);
        return TokenViewMapping.ToView(token, repo, token.Customer?.Name, secret);
    }

    /// <summary>Puts the usage counters back to zero; the download history stays.</summary>
    public async Task<TokenView> ResetUsageAsync(Actor actor, string repo, int id, CancellationToken cancellationToken = default)
    {
        var standings = await access.EnsureAsync(actor, repo, Permission.ManageTokens, cancellationToken);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var token = await TokenRows.FindStandardAsync(db, repo, id, cancellationToken);
        TokenRows.EnsureNotDeleted(token);
        var before = $"{token.Downloads} downloads, {token.Clients} clients, {ByteSize.Format(token.BandwidthBytes)}";
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await TokenRows.LockUsageAsync(db.Set<EntitlementToken>().Where(t => t.Id == token.Id), cancellationToken);
        await TokenRows.ForgetClientsAsync(db, token.Id, cancellationToken);
        await WebhookNotices.ForgetLimitsReachedAsync(db, token.Id, cancellationToken);
        token.Downloads = 0;
        token.Clients = 0;
        token.BandwidthBytes = 0;
        token.UpdatedAt = clock.GetUtcNow().UtcDateTime;
        audit.Record(db, actor, AuditActions.Update, AuditEntityTypes.Token, token.Id.ToString(),
            $"Reset the usage of token '{token.Name}' in {repo} (was {before}).");
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return TokenViewMapping.ToView(token, repo, token.Customer?.Name, access.SecretFor(standings, token));
    }

    /// <summary>Soft delete: the token stays for the history but its secret never works again and it cannot be re-enabled.</summary>
    public async Task DeleteAsync(Actor actor, string repo, int id, CancellationToken cancellationToken = default)
    {
        await access.EnsureAsync(actor, repo, Permission.ManageTokens, cancellationToken);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var token = await TokenRows.FindStandardAsync(db, repo, id, cancellationToken);
        if (token.IsDeleted)
        {
            return;
        }
        TokenRows.MarkDeleted(token, clock.GetUtcNow().UtcDateTime);
        audit.Record(db, actor, AuditActions.Delete, AuditEntityTypes.Token, token.Id.ToString(),
            $"Deleted token '{token.Name}' in {repo} ({token.SecretHint}); its history is kept.");
        await webhooks.RaiseTokenAsync(db, WebhookEventNames.TokenDeleted, token, repo, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
    }
}
