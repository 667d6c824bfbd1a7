using System.Security.Cryptography;
using System.Text;
using System.Threading.Channels;
using EntitlementPortal.Data;
using EntitlementPortal.Features.Tokens;
using Microsoft.EntityFrameworkCore;

namespace EntitlementPortal.Features.Downloads;

/// <summary>
/// Where every counted token download (limited or not) is decided and recorded. A request queues its item and
/// waits; <see cref="UsageLedgerWriter"/> commits whatever is queued as one <see cref="UsageBatch"/> and completes
/// each request with served or refused. The database stays the arbiter, so limits are exact on any number of
/// instances, and a request is answered only after its counting is committed, before a byte is sent.
/// </summary>
public sealed class UsageLedger(UsageBatch batch, IDbContextFactory<AppDbContext> dbFactory)
{
    /// <summary>
    /// Room for a few batches. Every queued item has a request waiting on it, so the queue is already bounded by
    /// the requests in flight; past this, requests wait to queue (back-pressure) rather than piling up.
    /// </summary>
    internal const int Capacity = 4 * UsageLedgerWriter.MaxBatch;

    private readonly Channel<PendingUsage> channel = Channel.CreateBounded<PendingUsage>(
        new BoundedChannelOptions(Capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait, AllowSynchronousContinuations = false });

    public static string FileKey(string repo, string package, string version, string filename) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{repo}/{package}/{version}/{filename}")));

    /// <summary>
    /// Counts the item in the next batch and returns the verdict. <paramref name="cancellationToken"/> stops only the
    /// wait for room in the queue: once queued, the item may already be in a transaction, so its verdict is awaited.
    /// </summary>
    public async Task<UsageAdmission> CountAsync(UsageItem item, CancellationToken cancellationToken)
    {
        var pending = new PendingUsage(item);
        try
        {
            await channel.Writer.WriteAsync(pending, cancellationToken);
        }
        catch (ChannelClosedException)
        {
            // Shutdown closed the queue while requests are still finishing: this one is counted by itself.
            return (await batch.CommitOrRefuseAsync([item]))[0];
        }
        return await pending.Verdict;
    }

    /// <summary>Gives back bytes that were reserved but never sent (the client went away mid-download). Rare: a write of its own.</summary>
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

    internal ChannelReader<PendingUsage> Reader => channel.Reader;

    internal void Complete() => channel.Writer.TryComplete();
}
