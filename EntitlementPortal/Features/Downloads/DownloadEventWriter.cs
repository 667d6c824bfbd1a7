using EntitlementPortal.Data;

namespace EntitlementPortal.Features.Downloads;

/// <summary>
/// Stores queued download events in batches. On a graceful shutdown it stops taking new events and writes
/// every queued one before the host exits; only a crash can lose events (at most the last batch window).
/// Usage counters are not here: those are updated synchronously, so limits never depend on this writer.
/// </summary>
internal sealed class DownloadEventWriter(
    DownloadEventQueue queue, DownloadEventStore store, DatabaseWriteGate writeGate, ILogger<DownloadEventWriter> logger)
    : BackgroundService
{
    internal const int MaxBatch = 500;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<DownloadEvent>(MaxBatch);
        // Deliberately not cancelled by stoppingToken: the loop ends when the queue is completed and drained.
        while (await queue.Reader.WaitToReadAsync(CancellationToken.None))
        {
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
        queue.Complete();
        await base.StopAsync(cancellationToken);
    }

    private async Task StoreAsync(List<DownloadEvent> batch)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                using var turn = await writeGate.EnterAsync(CancellationToken.None);
                await store.StoreAsync(batch);
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
