using System.Security.Cryptography;
using System.Text;
using EntitlementPortal.Data;
using EntitlementPortal.Features.Shared;
using EntitlementPortal.Features.Tokens;
using Microsoft.EntityFrameworkCore;

namespace EntitlementPortal.Features.Downloads;

/// <summary>What a token has used so far, as the rules need it, read once per request.</summary>
public sealed record UsageSnapshot(bool ClientKnown, bool FileCounted);

/// <summary>
/// Counts a served download against a token's limits with the database as the arbiter: each counter moves
/// only through a conditional UPDATE ("… WHERE Downloads &lt; LimitDownloads") inside one transaction, and
/// new clients and counted files are unique rows. Under any concurrency, and with several app instances on
/// one database, a token never serves more downloads, clients or bytes than its limits.
/// </summary>
public sealed class UsageLedger(IDbContextFactory<AppDbContext> dbFactory, DatabaseWriteGate writeGate, TimeProvider clock)
{
    public static string FileKey(string repo, string package, string version, string filename) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{repo}/{package}/{version}/{filename}")));

    public async Task<UsageSnapshot> ReadAsync(int tokenId, string clientIp, string fileKey, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        // One round trip on the hot path: the client row, and whether this file was counted for it.
        var client = await db.Set<TokenClient>()
            .Where(c => c.TokenId == tokenId && c.ClientIp == clientIp)
            .Select(c => new
            {
                FileCounted = db.Set<TokenFileDownload>().Any(f => f.TokenId == tokenId && f.ClientIp == clientIp && f.FileKey == fileKey),
            })
            .FirstOrDefaultAsync(cancellationToken);
        return new UsageSnapshot(client is not null, client?.FileCounted ?? false);
    }

    /// <summary>
    /// Records what <paramref name="decision"/> counts. Returns null when it was recorded, or the refusal when
    /// a concurrent request took the last unit of a limit first (then nothing at all was counted).
    /// </summary>
    public async Task<AccessRefusal?> TryRecordAsync(
        int tokenId, string clientIp, string fileKey, AccessDecision decision, UsageSnapshot usage, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var downloads = decision.CountsAsDownload ? 1 : 0;
        var bytes = decision.BytesCounted;
        // SQLite has one writer at a time: queueing here is cheaper than its busy-retry sleeps. The database
        // still decides every limit, so this gate is about throughput, not correctness.
        using var turn = await writeGate.EnterAsync(cancellationToken);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);

        if (decision.IsNewClient && await InsertIfMissingAsync(db, new TokenClient { TokenId = tokenId, ClientIp = clientIp, FirstSeenAt = now }, cancellationToken))
        {
            var admitted = await db.Set<EntitlementToken>().Where(t => t.Id == tokenId && (t.LimitClients == null || t.Clients < t.LimitClients))
                .ExecuteUpdateAsync(s => s.SetProperty(t => t.Clients, t => t.Clients + 1), cancellationToken);
            if (admitted == 0)
            {
                return new AccessRefusal(403, "client_limit", "This token's limit of client addresses is reached.");
            }
        }

        // One conditional statement moves every counter, so downloads and bytes never overshoot their limits.
        var counted = await db.Set<EntitlementToken>()
            .Where(t => t.Id == tokenId
                && (downloads == 0 || t.LimitDownloads == null || t.Downloads + downloads <= t.LimitDownloads)
                && (bytes == 0 || t.LimitBandwidthBytes == null || t.BandwidthBytes + bytes <= t.LimitBandwidthBytes))
            .ExecuteUpdateAsync(s => s
                .SetProperty(t => t.Downloads, t => t.Downloads + downloads)
                .SetProperty(t => t.BandwidthBytes, t => t.BandwidthBytes + bytes)
                .SetProperty(t => t.LastDownloadAt, now)
                .SetProperty(t => t.LastClientIp, clientIp), cancellationToken);
        if (counted == 0)
        {
            return await WhichLimitAsync(db, tokenId, downloads, bytes, cancellationToken);
        }
        if (decision.CountsAsDownload && !usage.FileCounted)
        {
            await InsertIfMissingAsync(db, new TokenFileDownload { TokenId = tokenId, ClientIp = clientIp, FileKey = fileKey, CountedAt = now }, cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        return null;
    }

    private static async Task<AccessRefusal> WhichLimitAsync(AppDbContext db, int tokenId, int downloads, long bytes, CancellationToken cancellationToken)
    {
        var token = await db.Set<EntitlementToken>().AsNoTracking().FirstAsync(t => t.Id == tokenId, cancellationToken);
        return downloads > 0 && token.LimitDownloads is { } max && token.Downloads + downloads > max
            ? new AccessRefusal(403, "download_limit", "This token's download limit is reached.")
            : new AccessRefusal(403, "bandwidth_limit", $"This download would exceed the token's bandwidth limit ({ByteSize.Format(bytes)} more).");
    }

    /// <summary>Gives back bytes that were reserved but never sent (the client went away mid-download).</summary>
    public async Task RefundBytesAsync(int tokenId, long unsentBytes, CancellationToken cancellationToken)
    {
        if (unsentBytes <= 0)
        {
            return;
        }
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await db.Set<EntitlementToken>().Where(t => t.Id == tokenId && t.BandwidthBytes >= unsentBytes)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.BandwidthBytes, t => t.BandwidthBytes - unsentBytes), cancellationToken);
    }

    /// <summary>True when this call inserted the row; false when it was already there (possibly just now, by a racer).</summary>
    private static async Task<bool> InsertIfMissingAsync<T>(AppDbContext db, T row, CancellationToken cancellationToken) where T : class
    {
        db.Add(row);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return true;
        }
        catch (DbUpdateException ex) when (DatabaseErrors.IsUniqueViolation(ex))
        {
            db.Entry(row).State = EntityState.Detached;
            return false;
        }
    }
}
