namespace EntitlementPortal.Features.Tokens;

/// <summary>Applies scheduled usage resets once a minute (the clock is injectable so tests can move time).</summary>
internal sealed class TokenResetScheduler(
    IServiceScopeFactory scopes, TimeProvider clock, ILogger<TokenResetScheduler> logger) : BackgroundService
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
                var reset = await scope.ServiceProvider.GetRequiredService<TokenService>().ApplyDueResetsAsync(stoppingToken);
                if (reset > 0)
                {
                    logger.LogInformation("Reset the usage of {Count} tokens on schedule.", reset);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // A failed round (database briefly unavailable) must not stop the schedule; the next round retries.
                logger.LogError(ex, "Scheduled token resets failed; retrying in {Interval}.", Interval);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
