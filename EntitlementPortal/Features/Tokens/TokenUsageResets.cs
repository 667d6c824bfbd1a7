using EntitlementPortal.Data;
using EntitlementPortal.Features.Audit;
using EntitlementPortal.Features.Downloads.ReadModel;
using EntitlementPortal.Features.Shared;
using Microsoft.EntityFrameworkCore;

namespace EntitlementPortal.Features.Tokens;

/// <summary>What one round of scheduled resets did: tokens reset, and due tokens another instance (or a change) got to first.</summary>
public sealed record ResetRound(int Reset, int Skipped);

/// <summary>The scheduled usage resets (daily, weekly, monthly, yearly) that <see cref="TokenResetScheduler"/> runs on every instance.</summary>
public sealed class TokenUsageResets(IDbContextFactory<AppDbContext> dbFactory, AuditTrail audit, TimeProvider clock)
{
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
        await TokenRows.ForgetClientsAsync(db, token.Id, cancellationToken);
        await Webhooks.WebhookNotices.ForgetLimitsReachedAsync(db, token.Id, cancellationToken);
        // The schedule (NextResetAt) is part of what downloads read; the counters alone would not bump it.
        await DownloadModelChanges.BumpAsync(db, cancellationToken);
        audit.Record(db, Actor.System, AuditActions.Update, AuditEntityTypes.Token, token.Id.ToString(),
            $"Scheduled {token.Period.ToString().ToLowerInvariant()} reset of token '{token.Name}': usage back to zero.");
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    private sealed record DueReset(int Id, string Name, ResetPeriod Period, DateTime Due);
}
