using EntitlementPortal.Data;
using Microsoft.EntityFrameworkCore;

namespace EntitlementPortal.Features.Downloads;

public sealed record PruneRound(int Deleted, int Batches);

/// <summary>
/// Deletes old download events in short statements, never <see cref="TokenDailyUsage"/>: per-day charts and totals
/// keep the token's whole life after its events are gone.
/// </summary>
public sealed class HistoryPruner(IDbContextFactory<AppDbContext> dbFactory, DatabaseWriteGate writeGate)
{
    /// <summary>Rows per statement: small enough that a delete never holds the writers of live downloads for long.</summary>
    public const int BatchSize = 1_000;

    public async Task<PruneRound> DeleteOlderThanAsync(DateTime cutoff, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var events = db.Set<DownloadEvent>();
        int deleted = 0, batches = 0;
        // The oldest event by time, read from the At index (ordering by Id would sort every old row, each batch).
        // The live path writes events in time order, so its id starts the range of the oldest ids.
        while (await events.Where(e => e.At < cutoff).OrderBy(e => e.At).Select(e => (long?)e.Id).FirstOrDefaultAsync(cancellationToken)
            is { } first)
        {
            // An id range and the age again, not a list of ids read first: another instance deleting the same rows
            // at the same moment makes this statement delete fewer, never a recent event.
            var last = first + BatchSize;
            using (await writeGate.EnterAsync(cancellationToken))
            {
                deleted += await events.Where(e => e.Id >= first && e.Id < last && e.At < cutoff).ExecuteDeleteAsync(cancellationToken);
            }
            batches++;
        }
        return new PruneRound(deleted, batches);
    }
}
