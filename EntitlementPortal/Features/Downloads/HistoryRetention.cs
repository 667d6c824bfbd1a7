namespace EntitlementPortal.Features.Downloads;

/// <summary>The <c>History</c> settings (checked at start-up by PortalApplication).</summary>
public sealed class HistoryOptions
{
    public const string Section = "History";

    /// <summary>Days of download events to keep; empty keeps every event. The daily rollup is always kept.</summary>
    public int? RetentionDays { get; set; }
}

/// <summary>
/// Deletes download events older than <see cref="HistoryOptions.RetentionDays"/> once an hour. Every instance runs
/// one: <see cref="HistoryPruner"/> deletes by id range and age, so two instances deleting at once only find
/// less to do, and nothing is held in process memory.
/// </summary>
internal sealed class HistoryRetention(
    HistoryPruner pruner, Microsoft.Extensions.Options.IOptions<HistoryOptions> options, TimeProvider clock,
    ILogger<HistoryRetention> logger) : BackgroundService
{
    internal static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Value.RetentionDays is not { } days)
        {
            return;
        }
        using var timer = new PeriodicTimer(Interval, clock);
        do
        {
            try
            {
                var cutoff = clock.GetUtcNow().UtcDateTime.AddDays(-days);
                var round = await pruner.DeleteOlderThanAsync(cutoff, stoppingToken);
                if (round.Deleted > 0)
                {
                    logger.LogInformation("Deleted {Count} download events older than {Days} days in {Batches} batches.", round.Deleted, days, round.Batches);
                }
                else
                {
                    logger.LogDebug("No download events older than {Days} days.", days);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // A failed round (database briefly unavailable) must not stop retention; the next round retries.
                logger.LogError(ex, "Deleting old download events failed; retrying in {Interval}.", Interval);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
