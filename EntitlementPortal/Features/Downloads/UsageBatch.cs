using EntitlementPortal.Data;
using EntitlementPortal.Features.Tokens;
using Microsoft.EntityFrameworkCore;

namespace EntitlementPortal.Features.Downloads;

/// <summary>
/// Counts a batch of requests in one transaction, with the database as the arbiter (ADR 006). The batch's token
/// rows are locked first by a plain update (SQLite's single writer; a row lock on SQL Server and PostgreSQL), so
/// the reads that follow see every change committed by any instance, and nothing else can count for these tokens
/// until this commits. Each item is then admitted in order by <see cref="TokenAccessRules.Admit"/> against the
/// true counters, the new client and counted-file rows are inserted, and each token's counters are written once.
/// Statements per batch: the lock, three reads (tokens, clients, counted files), the inserts (one save, only when
/// there are new rows) and one counter update per token with anything counted.
/// </summary>
public sealed class UsageBatch(
    IDbContextFactory<AppDbContext> dbFactory, DatabaseWriteGate writeGate, DownloadMetrics metrics, TimeProvider clock, ILogger<UsageBatch> logger)
{
    /// <summary>What a request gets when its batch could not be recorded: nothing unrecorded is ever served.</summary>
    public static readonly UsageAdmission Unavailable = new(
        new AccessRefusal(503, "usage_unavailable", "Downloads cannot be counted right now; please try again shortly."), false, false, 0);

    /// <summary>
    /// The verdicts, in the items' order; every item gets <see cref="Unavailable"/> when the transaction fails. A failure
    /// is not retried: the provider has already waited out a busy database (its command timeout), the transaction
    /// rolled back so nothing was counted, and a retry would hold every request of the batch that much longer.
    /// </summary>
    public async Task<UsageAdmission[]> CommitOrRefuseAsync(IReadOnlyList<UsageItem> items)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            return await CommitAsync(items, CancellationToken.None);
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Counting {Count} downloads failed; they were refused with 503 and nothing was counted.", items.Count);
            return [.. items.Select(_ => Unavailable)];
        }
        finally
        {
            metrics.LedgerBatch(items.Count, System.Diagnostics.Stopwatch.GetElapsedTime(started));
        }
    }

    public async Task<UsageAdmission[]> CommitAsync(IReadOnlyList<UsageItem> items, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        int[] tokenIds = [.. items.Select(i => i.TokenId).Distinct().Order()];
        string[] clientIps = [.. items.Select(i => i.ClientIp).Distinct()];
        string[] fileKeys = [.. items.Where(i => i.Claim.IsDownload).Select(i => i.FileKey).Distinct()];

        // SQLite admits one writer at a time: waiting here is cheaper than its busy-retry sleeps (throughput only).
        var waiting = System.Diagnostics.Stopwatch.GetTimestamp();
        using var turn = await writeGate.EnterAsync(cancellationToken);
        metrics.LedgerWaitedForWriteTurn(System.Diagnostics.Stopwatch.GetElapsedTime(waiting));
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        db.Database.AutoSavepointsEnabled = false;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);

        // The lock: first statement of the transaction, before anything it decides on is read.
        var tokens = db.Set<EntitlementToken>().Where(t => tokenIds.Contains(t.Id));
        await TokenRows.LockUsageAsync(tokens, cancellationToken);
        var usage = await tokens.AsNoTracking()
            .Select(t => new { t.Id, Usage = new TokenCounters(t.Downloads, t.Clients, t.BandwidthBytes, t.LimitDownloads, t.LimitClients, t.LimitBandwidthBytes) })
            .ToDictionaryAsync(t => t.Id, t => t.Usage, cancellationToken);
        // Set-based reads of a superset (every token × address of the batch), matched exactly in memory.
        var knownClients = (await db.Set<TokenClient>().AsNoTracking()
                .Where(c => tokenIds.Contains(c.TokenId) && clientIps.Contains(c.ClientIp))
                .Select(c => new { c.TokenId, c.ClientIp }).ToListAsync(cancellationToken))
            .Select(c => (c.TokenId, c.ClientIp)).ToHashSet();
        var countedFiles = fileKeys.Length == 0 ? [] : (await db.Set<TokenFileDownload>().AsNoTracking()
                .Where(f => tokenIds.Contains(f.TokenId) && clientIps.Contains(f.ClientIp) && fileKeys.Contains(f.FileKey))
                .Select(f => new { f.TokenId, f.ClientIp, f.FileKey }).ToListAsync(cancellationToken))
            .Select(f => (f.TokenId, f.ClientIp, f.FileKey)).ToHashSet();

        var verdicts = new UsageAdmission[items.Count];
        var lastClients = new Dictionary<int, string>();
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i];
            if (!usage.TryGetValue(item.TokenId, out var token))
            {
                // The token row went away (its repository was deleted) after the request read it: nothing to count against.
                verdicts[i] = new UsageAdmission(new AccessRefusal(404, "not_found", "Not found."), false, false, 0);
                continue;
            }
            var file = (item.TokenId, item.ClientIp, item.FileKey);
            var verdict = TokenAccessRules.Admit(token, item.Claim,
                new ClientUsage(knownClients.Contains((item.TokenId, item.ClientIp)), countedFiles.Contains(file)));
            verdicts[i] = verdict;
            if (!verdict.IsAllowed)
            {
                continue;
            }
            usage[item.TokenId] = token.After(verdict);
            lastClients[item.TokenId] = item.ClientIp;
            if (verdict.IsNewClient && knownClients.Add((item.TokenId, item.ClientIp)))
            {
                db.Add(new TokenClient { TokenId = item.TokenId, ClientIp = item.ClientIp, FirstSeenAt = now });
            }
            if (verdict.CountsAsDownload && countedFiles.Add(file))
            {
                db.Add(new TokenFileDownload { TokenId = item.TokenId, ClientIp = item.ClientIp, FileKey = item.FileKey, CountedAt = now });
            }
        }

        if (db.ChangeTracker.HasChanges())
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        foreach (var (tokenId, lastClient) in lastClients)
        {
            // Written from the counters read under the lock: nothing else could change them in between.
            var counted = usage[tokenId];
            await db.Set<EntitlementToken>().Where(t => t.Id == tokenId).ExecuteUpdateAsync(s => s
                .SetProperty(t => t.Downloads, counted.Downloads)
                .SetProperty(t => t.Clients, counted.Clients)
                .SetProperty(t => t.BandwidthBytes, counted.BandwidthBytes)
                .SetProperty(t => t.LastDownloadAt, now)
                .SetProperty(t => t.LastClientIp, lastClient), cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        return verdicts;
    }
}
