using EntitlementPortal.Data;

namespace EntitlementPortal.Features.Downloads;

/// <summary>
/// Stores queued download events in batches. On a graceful shutdown it stops taking new events and writes
/// every queued one before the host exits; only a crash can lose events (at most the last batch window).
/// Usage counters are not here: those are updated synchronously, so limits never depend on this writer.
/// </summary>
internal sealed class DownloadEventWriter(
    DownloadEventQueue queue, DownloadEventStore store, DatabaseWriteGate writeGate, DownloadMetrics metrics, ILogger<DownloadEventWriter> logger)
    : BackgroundService
{
    internal const int MaxBatch = 500;

    /// <summary>
    /// The least time from the start of one write to the start of the next, unless a full batch is waiting. Each
    /// write has a fixed cost (its transaction, the daily rollups, the webhook check) and holds SQLite's one write
    /// turn, which the usage ledger needs for every counted download: under load, a write every few milliseconds of
    /// a dozen events would take that turn most of the time. Pacing makes the batches larger and the writes rarer;
    /// an event waits at most this long longer to appear in the history, and a quiet portal writes at once.
    /// </summary>
    internal static readonly TimeSpan Pace = TimeSpan.FromMilliseconds(100);

    // Set when shutdown begins: what is still queued is written at once, unpaced.
    private volatile bool stopping;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<DownloadEvent>(MaxBatch);
        var lastWrite = long.MinValue / 2;
        // Deliberately not cancelled by stoppingToken: the loop ends when the queue is completed and drained.
        while (await queue.Reader.WaitToReadAsync(CancellationToken.None))
        {
            var sinceLast = Environment.TickCount64 - lastWrite;
            if (sinceLast < Pace.TotalMilliseconds && queue.Reader.Count < MaxBatch && !stopping)
            {
                // Wall-clock pacing of this process's writes, not domain time, so not the injectable clock.
                await Task.Delay(TimeSpan.FromMilliseconds(Pace.TotalMilliseconds - sinceLast), CancellationToken.None);
            }
            lastWrite = Environment.TickCount64;
            while (batch.Count < MaxBatch && queue.Reader.TryRead(out var item))
            {
                batch.Add(item);
            }
            await StoreAsync(batch);
            batch.Clear();
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        stopping = true;
        queue.Complete();
        await base.StopAsync(cancellationToken);
    }

    private async Task StoreAsync(List<DownloadEvent> batch)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var started = System.Diagnostics.Stopwatch.GetTimestamp();
                using var turn = await writeGate.EnterAsync(CancellationToken.None);
                await store.StoreAsync(batch);
                metrics.EventBatch(batch.Count, System.Diagnostics.Stopwatch.GetElapsedTime(started));
                logger.LogDebug("Stored {Count} download events.", batch.Count);
                return;
            }
            catch (Exception ex) when (attempt < 3)
            {
                logger.LogWarning(ex, "Storing {Count} download events failed (attempt {Attempt}); retrying.", batch.Count, attempt);
                await Task.Delay(TimeSpan.FromMilliseconds(200 * attempt));
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "Lost {Count} download events after 3 attempts.", batch.Count);
                return;
            }
        }
    }
}
