using System.Threading.Channels;

namespace EntitlementPortal.Features.Downloads;

/// <summary>
/// Where the download endpoint drops its events: appending is a memory operation, so the hot path never
/// waits for the database. <see cref="DownloadEventWriter"/> stores them in batches.
/// </summary>
public sealed class DownloadEventQueue(DownloadEventStore store)
{
    private readonly Channel<DownloadEvent> channel = Channel.CreateUnbounded<DownloadEvent>(
        new UnboundedChannelOptions { SingleReader = true, AllowSynchronousContinuations = false });

    /// <summary>
    /// Queues the event; once shutdown has closed the queue (requests still finishing), stores it directly so
    /// that nothing served is missing from the history.
    /// </summary>
    public async ValueTask AddAsync(DownloadEvent downloadEvent)
    {
        if (channel.Writer.TryWrite(downloadEvent))
        {
            return;
        }
        await store.StoreAsync([downloadEvent]);
    }

    internal ChannelReader<DownloadEvent> Reader => channel.Reader;

    internal void Complete() => channel.Writer.TryComplete();
}
