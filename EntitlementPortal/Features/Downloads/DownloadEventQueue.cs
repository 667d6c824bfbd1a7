using System.Threading.Channels;
using Microsoft.Extensions.Options;

namespace EntitlementPortal.Features.Downloads;

/// <summary>
/// Where the download endpoint drops its events: appending is a memory operation, so the hot path does not wait
/// for the database while <see cref="DownloadEventWriter"/> keeps up. The queue is bounded
/// (<see cref="DownloadOptions.EventQueueCapacity"/>) so a writer that falls behind cannot grow memory without
/// limit: when it is full, adding waits for room (back-pressure on the request that served the download) instead
/// of dropping the event, so no served download goes missing from the history.
/// </summary>
public sealed class DownloadEventQueue
{
    private readonly DownloadEventStore store;
    private readonly ILogger<DownloadEventQueue> logger;
    private readonly Channel<DownloadEvent> channel;
    private readonly int capacity;
    private int waiting;
    private long lastWarning = long.MinValue;

    public DownloadEventQueue(DownloadEventStore store, IOptions<DownloadOptions> options, ILogger<DownloadEventQueue> logger)
    {
        this.store = store;
        this.logger = logger;
        capacity = Math.Max(1, options.Value.EventQueueCapacity);
        channel = Channel.CreateBounded<DownloadEvent>(new BoundedChannelOptions(capacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
            AllowSynchronousContinuations = false,
        });
    }

    /// <summary>Requests waiting for room in a full queue (for tests and diagnostics).</summary>
    internal int Waiting => Volatile.Read(ref waiting);

    /// <summary>
    /// Queues the event, waiting while the queue is full; once shutdown has closed the queue (requests still
    /// finishing), stores it directly so that nothing served is missing from the history.
    /// </summary>
    public ValueTask AddAsync(DownloadEvent downloadEvent) =>
        channel.Writer.TryWrite(downloadEvent) ? ValueTask.CompletedTask : AddSlowAsync(downloadEvent);

    private async ValueTask AddSlowAsync(DownloadEvent downloadEvent)
    {
        // Not cancelled by the request: a client that hangs up after being served still has its event stored.
        if (Interlocked.Increment(ref waiting) == 1)
        {
            WarnAtMostOncePerMinute();
        }
        try
        {
            while (await channel.Writer.WaitToWriteAsync(CancellationToken.None))
            {
                if (channel.Writer.TryWrite(downloadEvent))
                {
                    return;
                }
            }
        }
        finally
        {
            Interlocked.Decrement(ref waiting);
        }
        await store.StoreAsync([downloadEvent]);
    }

    private void WarnAtMostOncePerMinute()
    {
        var now = Environment.TickCount64;
        var last = Interlocked.Read(ref lastWarning);
        if (now - last >= 60_000 && Interlocked.CompareExchange(ref lastWarning, now, last) == last)
        {
            logger.LogWarning("The download event queue is full ({Capacity} events); downloads wait for the history writer.", capacity);
        }
    }

    internal ChannelReader<DownloadEvent> Reader => channel.Reader;

    internal void Complete() => channel.Writer.TryComplete();
}
