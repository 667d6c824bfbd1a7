namespace EntitlementPortal.Features.Webhooks;

/// <summary>
/// Raises due expiry warnings once a minute on every instance; <see cref="ExpiryWarnings"/> makes each warning
/// happen once however many instances run.
/// </summary>
internal sealed class ExpiryWarningScheduler(
    IServiceScopeFactory scopes, TimeProvider clock, ILogger<ExpiryWarningScheduler> logger) : BackgroundService
{
    internal static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, clock);
        do
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var round = await scope.ServiceProvider.GetRequiredService<ExpiryWarnings>().RaiseDueAsync(stoppingToken);
                if (round.Raised > 0)
                {
                    logger.LogInformation("Raised {Count} expiry warnings.", round.Raised);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The database may be briefly unavailable; due warnings stay due and the next round raises them.
                logger.LogError(ex, "Raising expiry warnings failed; retrying in {Interval}.", Interval);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
