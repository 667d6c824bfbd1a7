namespace EntitlementPortal.Features.Downloads;

/// <summary>
/// The one writer loop of this instance's <see cref="UsageLedger"/>: takes every queued item (up to
/// <see cref="MaxBatch"/>) and commits them as one <see cref="UsageBatch"/>, while the next requests queue. On a
/// graceful shutdown it closes the queue and commits everything still in it before the host exits; a request that
/// arrives after that is committed by itself (<see cref="UsageLedger.CountAsync"/>), so nothing is dropped.
/// </summary>
internal sealed class UsageLedgerWriter(UsageLedger ledger, UsageBatch batch) : BackgroundService
{
    internal const int MaxBatch = 256;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var pending = new List<PendingUsage>(MaxBatch);
        var items = new List<UsageItem>(MaxBatch);
        // Deliberately not cancelled by stoppingToken: the loop ends when the queue is completed and drained.
        while (await ledger.Reader.WaitToReadAsync(CancellationToken.None))
        {
            while (pending.Count < MaxBatch && ledger.Reader.TryRead(out var next))
            {
                pending.Add(next);
                items.Add(next.Item);
            }
            var verdicts = await batch.CommitOrRefuseAsync(items);
            for (var i = 0; i < pending.Count; i++)
            {
                pending[i].Complete(verdicts[i]);
            }
            pending.Clear();
            items.Clear();
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        ledger.Complete();
        await base.StopAsync(cancellationToken);
    }
}
