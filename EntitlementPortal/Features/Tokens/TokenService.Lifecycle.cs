using EntitlementPortal.Features.Audit;
using EntitlementPortal.Features.Permissions;
using EntitlementPortal.Features.Shared;
using FluentValidation;
using FluentValidation.Results;
using Microsoft.EntityFrameworkCore;

namespace EntitlementPortal.Features.Tokens;

/// <summary>What one round of scheduled resets did: tokens reset, and due tokens another instance (or a change) got to first.</summary>
public sealed record ResetRound(int Reset, int Skipped);

public sealed partial class TokenService
{
    public Task<TokenView> DisableAsync(Actor actor, string repo, int id, CancellationToken cancellationToken = default) =>
        SetActiveAsync(actor, repo, id, active: false, cancellationToken);

    public Task<TokenView> EnableAsync(Actor actor, string repo, int id, CancellationToken cancellationToken = default) =>
        SetActiveAsync(actor, repo, id, active: true, cancellationToken);

    private async Task<TokenView> SetActiveAsync(Actor actor, string repo, int id, bool active, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var standings = await StandingsAsync(db, actor, repo, Permission.ManageTokens, cancellationToken);
        var token = await FindStandardAsync(db, repo, id, cancellationToken);
        EnsureNotDeleted(token);
        if (active)
        {
            EnsurePrivate(token);
        }
        if (active && token.Customer?.Status == Customers.CustomerStatus.Revoked)
        {
            throw new ConflictException(nameof(TokenInput.IsActive),
                $"Customer '{token.Customer.Name}' is revoked: reinstate the customer to enable their tokens.");
        }
        if (token.IsActive != active)
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            if (active)
            {
                await EnsureAllowanceAsync(db, cancellationToken);
            }
            token.SuspendedWithCustomer = false;
            token.IsActive = active;
            token.UpdatedAt = clock.GetUtcNow().UtcDateTime;
            audit.Record(db, actor, AuditActions.Update, AuditEntityTypes.Token, token.Id.ToString(),
                $"{(active ? "Enabled" : "Disabled")} token '{token.Name}' in {repo}.");
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        return ToView(token, repo, token.Customer?.Name, SecretFor(standings, token));
    }

    /// <summary>
    /// Gives the token a new generated secret. The old one stops working at once, or after
    /// <paramref name="graceSeconds"/> so customers can roll the new one out first.
    /// </summary>
    public async Task<TokenView> RefreshAsync(Actor actor, string repo, int id, int? graceSeconds = null, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await StandingsAsync(db, actor, repo, Permission.ManageTokens, cancellationToken);
        if (graceSeconds is < 0 or > TokenRules.MaxGraceSeconds)
        {
            throw new ValidationException([new ValidationFailure("graceSeconds",
                $"graceSeconds must be between 0 and {TokenRules.MaxGraceSeconds} (30 days).")]);
        }
        var token = await FindStandardAsync(db, repo, id, cancellationToken);
        EnsureNotDeleted(token);

        var now = clock.GetUtcNow().UtcDateTime;
        var secret = TokenSecret.Generate();
        ReplaceSecret(token, secret, isCustom: false, actor, now, graceSeconds is > 0 ? TimeSpan.FromSeconds(graceSeconds.Value) : null);
        token.UpdatedAt = now;
        audit.Record(db, actor, AuditActions.Update, AuditEntityTypes.Token, token.Id.ToString(),
            $"Refreshed the secret of token '{token.Name}' in {repo} (now {token.SecretHint})"
            + (token.PreviousSecretValidUntil is { } until ? $"; the old secret works until {until:yyyy-MM-dd HH:mm:ss} UTC." : "; the old secret stopped working."));
        await SaveAsync(db, cancellationToken);
        return ToView(token, repo, token.Customer?.Name, secret);
    }

    /// <summary>Puts the usage counters back to zero; the download history stays.</summary>
    public async Task<TokenView> ResetUsageAsync(Actor actor, string repo, int id, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var standings = await StandingsAsync(db, actor, repo, Permission.ManageTokens, cancellationToken);
        var token = await FindStandardAsync(db, repo, id, cancellationToken);
        EnsureNotDeleted(token);
        var before = $"{token.Downloads} downloads, {token.Clients} clients, {ByteSize.Format(token.BandwidthBytes)}";
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await ForgetClientsAsync(db, [token.Id], cancellationToken);
        ZeroUsage(token);
        token.UpdatedAt = clock.GetUtcNow().UtcDateTime;
        audit.Record(db, actor, AuditActions.Update, AuditEntityTypes.Token, token.Id.ToString(),
            $"Reset the usage of token '{token.Name}' in {repo} (was {before}).");
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return ToView(token, repo, token.Customer?.Name, SecretFor(standings, token));
    }

    /// <summary>
    /// Soft delete: the token stays for the history but its secret never works again (its digest is replaced
    /// by a random tombstone, which also frees a custom string for reuse) and it cannot be re-enabled.
    /// </summary>
    public async Task DeleteAsync(Actor actor, string repo, int id, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await StandingsAsync(db, actor, repo, Permission.ManageTokens, cancellationToken);
        var token = await FindStandardAsync(db, repo, id, cancellationToken);
        if (token.IsDeleted)
        {
            return;
        }
        var now = clock.GetUtcNow().UtcDateTime;
        token.IsDeleted = true;
        token.IsActive = false;
        token.DeletedAt = now;
        token.UpdatedAt = now;
        token.SecretDigest = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        token.PreviousSecretDigest = null;
        token.PreviousSecretValidUntil = null;
        audit.Record(db, actor, AuditActions.Delete, AuditEntityTypes.Token, token.Id.ToString(),
            $"Deleted token '{token.Name}' in {repo} ({token.SecretHint}); its history is kept.");
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>
    /// Applies the scheduled usage resets that are due (up to 500 per round). Every instance runs this; each due
    /// reset happens exactly once, on whichever instance gets to it first (see <see cref="TryApplyResetAsync"/>).
    /// </summary>
    public async Task<ResetRound> ApplyDueResetsAsync(CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        List<DueReset> due;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            due = await db.Set<EntitlementToken>().AsNoTracking()
                .Where(t => t.NextResetAt != null && t.NextResetAt <= now && !t.IsDeleted)
                .OrderBy(t => t.NextResetAt).ThenBy(t => t.Id).Take(500)
                .Select(t => new DueReset(t.Id, t.Name, t.ResetPeriod, t.NextResetAt!.Value))
                .ToListAsync(cancellationToken);
        }
        var reset = 0;
        foreach (var token in due)
        {
            if (await TryApplyResetAsync(token, now, cancellationToken))
            {
                reset++;
            }
        }
        return new ResetRound(reset, due.Count - reset);
    }

    /// <summary>
    /// One scheduled reset, decided by the database: the counters go to zero and the schedule moves on only
    /// "WHERE NextResetAt = the due time this instance read". Another instance that read the same due time finds
    /// the row moved on and changes nothing, so it can never zero usage counted after the first reset. The
    /// token's clients and counted files are forgotten in the same transaction, and only by the winner.
    /// </summary>
    private async Task<bool> TryApplyResetAsync(DueReset token, DateTime now, CancellationToken cancellationToken)
    {
        var next = ResetSchedule.NextAfter(token.Period, token.Due, now);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var won = await db.Set<EntitlementToken>()
            .Where(t => t.Id == token.Id && t.NextResetAt == token.Due && !t.IsDeleted)
            .ExecuteUpdateAsync(s => s
                .SetProperty(t => t.Downloads, 0)
                .SetProperty(t => t.Clients, 0)
                .SetProperty(t => t.BandwidthBytes, 0)
                .SetProperty(t => t.NextResetAt, next), cancellationToken);
        if (won == 0)
        {
            // Reset elsewhere first, rescheduled or deleted since it was read: not this round's to reset.
            return false;
        }
        await ForgetClientsAsync(db, [token.Id], cancellationToken);
        audit.Record(db, Actor.System, AuditActions.Update, AuditEntityTypes.Token, token.Id.ToString(),
            $"Scheduled {token.Period.ToString().ToLowerInvariant()} reset of token '{token.Name}': usage back to zero.");
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    private sealed record DueReset(int Id, string Name, ResetPeriod Period, DateTime Due);

    /// <summary>A reset starts the distinct-client count afresh: the clients and counted files are forgotten too.</summary>
    private static async Task ForgetClientsAsync(Data.AppDbContext db, List<int> tokenIds, CancellationToken cancellationToken)
    {
        if (tokenIds.Count == 0)
        {
            return;
        }
        await db.Set<Downloads.TokenClient>().Where(c => tokenIds.Contains(c.TokenId)).ExecuteDeleteAsync(cancellationToken);
        await db.Set<Downloads.TokenFileDownload>().Where(f => tokenIds.Contains(f.TokenId)).ExecuteDeleteAsync(cancellationToken);
    }

    private static void ZeroUsage(EntitlementToken token)
    {
        token.Downloads = 0;
        token.Clients = 0;
        token.BandwidthBytes = 0;
    }
}
