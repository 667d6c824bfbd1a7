namespace EntitlementPortal.Features.Tokens;

/// <summary>
/// Applies scheduled usage resets once a minute (the clock is injectable so tests can move time). Every instance
/// runs one; <see cref="TokenUsageResets.ApplyDueResetsAsync"/> makes each reset happen once however many there are.
/// </summary>
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
                var round = await scope.ServiceProvider.GetRequiredService<TokenUsageResets>().ApplyDueResetsAsync(stoppingToken);
                if (round.Reset > 0)
                {
                    logger.LogInformation("Reset the usage of {Count} tokens on schedule.", round.Reset);
                }
                if (round.Skipped > 0)
                {
                    // Normal with several instances: each runs this schedule and the database lets one of them win.
                    logger.LogDebug("Left {Count} due tokens alone: another instance reset them first, or they changed meanwhile.", round.Skipped);
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
