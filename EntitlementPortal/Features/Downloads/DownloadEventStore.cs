using EntitlementPortal.Data;
using EntitlementPortal.Features.Shared;
using Microsoft.EntityFrameworkCore;

namespace EntitlementPortal.Features.Downloads;

/// <summary>Writes download events: each on its own row, except floods of 429s, which add up into summaries.</summary>
public sealed class DownloadEventStore(IDbContextFactory<AppDbContext> dbFactory, Webhooks.DownloadRefusalWebhooks webhooks)
{
    /// <summary>Stores the batch in one transaction, so a retry after a failure never stores an event twice.</summary>
    public async Task StoreAsync(IReadOnlyCollection<DownloadEvent> batch, CancellationToken cancellationToken = default)
    {
        // Counted before the flood summaries below set their first event's attempts to the flood's size.
        var refusals = DailyRollups.RefusalsOf(batch);
        var packages = DailyRollups.PackagesOf(batch);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await DownloadEventRows.InsertAsync(db, batch.Where(e => !FloodSummary.Applies(e)).ToList(), cancellationToken);
        foreach (var flood in batch.Where(FloodSummary.Applies).GroupBy(FloodSummary.KeyOf))
        {
            await AddToSummaryAsync(db, flood.Key, flood.First(), flood.Count(), cancellationToken);
        }
        // The daily rollups move with their events: one transaction, so a retried batch never counts twice.
        foreach (var day in batch.Where(e => e.TokenId is not null).GroupBy(e => (TokenId: e.TokenId!.Value, Day: e.At.Date)))
        {
            var downloads = day.Sum(e => TokenDailyUsage.Of(e).Downloads);
            var bytes = day.Sum(e => TokenDailyUsage.Of(e).Bytes);
            if (downloads > 0 || bytes > 0)
            {
                await AddToDailyUsageAsync(db, day.Key.TokenId, day.First().CustomerId, day.Key.Day, downloads, bytes, cancellationToken);
            }
        }
        await DailyRollups.AddAsync(db, refusals, packages, cancellationToken);
        await webhooks.RaiseAsync(db, batch, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    private static Task AddToDailyUsageAsync(AppDbContext db, int tokenId, int? customerId, DateTime day, long downloads, long bytes,
        CancellationToken cancellationToken) =>
        DailyRollups.UpsertAsync(db,
            () => db.Set<TokenDailyUsage>().Where(u => u.TokenId == tokenId && u.Day == day)
                .ExecuteUpdateAsync(s => s
                    .SetProperty(u => u.Downloads, u => u.Downloads + downloads)
                    .SetProperty(u => u.Bytes, u => u.Bytes + bytes), cancellationToken),
            () => new TokenDailyUsage { TokenId = tokenId, CustomerId = customerId, Day = day, Downloads = downloads, Bytes = bytes },
            cancellationToken);

    private static Task AddToSummaryAsync(AppDbContext db, string key, DownloadEvent first, int attempts, CancellationToken cancellationToken) =>
        DailyRollups.UpsertAsync(db,
            () => db.Set<DownloadEvent>().Where(e => e.SummaryKey == key)
                .ExecuteUpdateAsync(s => s.SetProperty(e => e.Attempts, e => e.Attempts + attempts), cancellationToken),
            () =>
            {
                first.SummaryKey = key;
                first.Attempts = attempts;
                return first;
            },
            cancellationToken);
}
