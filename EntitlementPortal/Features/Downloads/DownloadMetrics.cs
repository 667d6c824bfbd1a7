using System.Diagnostics.Metrics;

namespace EntitlementPortal.Features.Downloads;

/// <summary>
/// What the hot path's two writers do, as rates any metrics listener reads (<c>dotnet-counters monitor --counters
/// EntitlementPortal.Downloads</c>, an OpenTelemetry exporter): how many counted requests and how many batches the
/// usage ledger commits, how long its batches take and how long they wait for SQLite's write turn, and the same
/// for the history writer. Items per batch and time per batch are the quotients; bench/profile.sh prints them.
/// </summary>
public sealed class DownloadMetrics
{
    public const string MeterName = "EntitlementPortal.Downloads";

    private readonly Counter<long> ledgerItems;
    private readonly Counter<long> ledgerBatches;
    private readonly Counter<double> ledgerBatchTime;
    private readonly Counter<double> ledgerWriteWait;
    private readonly Counter<long> eventsWritten;
    private readonly Counter<long> eventBatches;
    private readonly Counter<double> eventBatchTime;

    public DownloadMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        ledgerItems = meter.CreateCounter<long>("ep.usage_ledger.items", "{request}", "Counted requests the usage ledger decided");
        ledgerBatches = meter.CreateCounter<long>("ep.usage_ledger.batches", "{batch}", "Usage ledger transactions");
        ledgerBatchTime = meter.CreateCounter<double>("ep.usage_ledger.batch_time", "ms", "Time spent in usage ledger transactions, waiting for the write turn included");
        ledgerWriteWait = meter.CreateCounter<double>("ep.usage_ledger.write_wait", "ms", "Time usage ledger batches waited for SQLite's write turn");
        eventsWritten = meter.CreateCounter<long>("ep.download_events.written", "{event}", "Download events stored");
        eventBatches = meter.CreateCounter<long>("ep.download_events.batches", "{batch}", "History writer transactions");
        eventBatchTime = meter.CreateCounter<double>("ep.download_events.batch_time", "ms", "Time spent in history writer transactions, waiting for the write turn included");
    }

    internal void LedgerBatch(int items, TimeSpan elapsed)
    {
        ledgerItems.Add(items);
        ledgerBatches.Add(1);
        ledgerBatchTime.Add(elapsed.TotalMilliseconds);
    }

    internal void LedgerWaitedForWriteTurn(TimeSpan waited) => ledgerWriteWait.Add(waited.TotalMilliseconds);

    internal void EventBatch(int events, TimeSpan elapsed)
    {
        eventsWritten.Add(events);
        eventBatches.Add(1);
        eventBatchTime.Add(elapsed.TotalMilliseconds);
    }
}
