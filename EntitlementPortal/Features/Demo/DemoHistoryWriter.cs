using EntitlementPortal.Data;
using EntitlementPortal.Features.Downloads;
using EntitlementPortal.Features.Tokens;
using Microsoft.EntityFrameworkCore;

namespace EntitlementPortal.Features.Demo;

/// <summary>
/// Stores generated events in batches, then the daily rollups, the tokens' client addresses and counters, all in
/// one transaction: the history and the figures the portal shows for it appear together or not at all.
/// </summary>
internal sealed class DemoHistoryWriter(IDbContextFactory<AppDbContext> dbFactory)
{
    public const int BatchSize = 5_000;

    public async Task<int> WriteAsync(IEnumerable<DownloadEvent> events, DemoTally tally, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        // Nothing is read back: tracking only has to insert, so change detection per batch is wasted work.
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (db.Database.IsSqlite())
        {
            // Eleven indexes on the events: with SQLite's default 2 MB page cache each batch re-reads index pages it
            // just wrote. A bigger cache for this one connection only (it ends with the command).
            await db.Database.ExecuteSqlRawAsync("PRAGMA cache_size = -262144;", cancellationToken);
        }
        var indexes = await SetIndexesAsideAsync(db, cancellationToken);
        var written = 0;
        foreach (var batch in events.Chunk(BatchSize))
        {
            db.AddRange(batch);
            await db.SaveChangesAsync(cancellationToken);
            db.ChangeTracker.Clear();
            written += batch.Length;
        }

        foreach (var index in indexes)
        {
            await db.Database.ExecuteSqlRawAsync(index.Sql, cancellationToken);
        }

        foreach (var days in tally.Days.Chunk(BatchSize))
        {
            db.AddRange(days.Select(d => new TokenDailyUsage
            {
                TokenId = d.Key.TokenId, CustomerId = d.Value.CustomerId, Day = d.Key.Day, Downloads = d.Value.Downloads, Bytes = d.Value.Bytes,
            }));
            await db.SaveChangesAsync(cancellationToken);
            db.ChangeTracker.Clear();
        }

        foreach (var refusals in tally.Refusals.Chunk(BatchSize))
        {
            db.AddRange(refusals.Select(r => new TokenDailyRefusal
            {
                TokenId = r.Key.TokenId, Day = r.Key.Day, CustomerId = r.Key.CustomerId, Status = r.Key.Status, Reason = r.Key.Reason, Attempts = r.Value,
            }));
            await db.SaveChangesAsync(cancellationToken);
            db.ChangeTracker.Clear();
        }
        foreach (var packages in tally.Packages.Chunk(BatchSize))
        {
            db.AddRange(packages.Select(p => new TokenDailyPackageDownload
            {
                TokenId = p.Key.TokenId, Day = p.Key.Day, CustomerId = p.Key.CustomerId, Package = p.Key.Package, Version = p.Key.Version, Downloads = p.Value,
            }));
            await db.SaveChangesAsync(cancellationToken);
            db.ChangeTracker.Clear();
        }

        foreach (var (tokenId, usage) in tally.Tokens)
        {
            db.AddRange(usage.FirstSeen.Select(c => new TokenClient { TokenId = tokenId, ClientIp = c.Key, FirstSeenAt = c.Value }));
            await db.Set<EntitlementToken>().Where(t => t.Id == tokenId).ExecuteUpdateAsync(s => s
                .SetProperty(t => t.Downloads, usage.Downloads)
                .SetProperty(t => t.BandwidthBytes, usage.Bytes)
                .SetProperty(t => t.Clients, usage.Clients.Count)
                .SetProperty(t => t.LastDownloadAt, usage.LastDownloadAt)
                .SetProperty(t => t.LastClientIp, usage.LastClientIp), cancellationToken);
        }
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        if (db.Database.IsSqlite())
        {
            // Statistics for the query planner: without them it may walk a whole index where a range would do
            // (the dashboard's refusals went from a scan of every event to the last 30 days' part).
            await db.Database.ExecuteSqlRawAsync("ANALYZE;", cancellationToken);
        }
        return written;
    }

    private sealed record IndexDefinition(string Name, string Sql);

    /// <summary>
    /// On SQLite, drops the event indexes for the bulk insert and hands back their definitions to build them again
    /// afterwards, inside the same transaction. Eleven indexes updated row by row cost most of the insert time; built
    /// once over the sorted table they take seconds. The definitions are read from the database itself, so they are
    /// exactly what the migrations made.
    /// </summary>
    private static async Task<IReadOnlyList<IndexDefinition>> SetIndexesAsideAsync(AppDbContext db, CancellationToken cancellationToken)
    {
        if (!db.Database.IsSqlite())
        {
            return [];
        }
        var indexes = await db.Database.SqlQueryRaw<IndexDefinition>(
                "SELECT name AS Name, sql AS Sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'DownloadEvents' AND sql IS NOT NULL")
            .ToListAsync(cancellationToken);
        foreach (var index in indexes)
        {
            var drop = "DROP INDEX \"" + index.Name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
            await db.Database.ExecuteSqlRawAsync(drop, cancellationToken);
        }
        return indexes;
    }
}
