namespace EntitlementPortal.Features.Tokens;

/// <summary>
/// Applies scheduled usage resets every <see cref="TokenResetOptions.ResetCheckInterval"/> (a minute unless set; the
/// clock is injectable so tests can move time). Every instance runs one; <see cref="TokenUsageResets.ApplyDueResetsAsync"/> makes each reset happen once however many there are.
/// </summary>
internal sealed class TokenResetScheduler(
    IServiceScopeFactory scopes, TimeProvider clock, Microsoft.Extensions.Options.IOptions<TokenResetOptions> options,
    ILogger<TokenResetScheduler> logger) : BackgroundService
{
    internal static readonly TimeSpan DefaultInterval = TimeSpan.FromMinutes(1);
    internal static readonly TimeSpan MinInterval = TimeSpan.FromSeconds(1);
    internal static readonly TimeSpan MaxInterval = TimeSpan.FromHours(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = options.Value.ResetCheckInterval;
        using var timer = new PeriodicTimer(interval, clock);
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
                logger.LogTrace("Scheduled reset round done: {Reset} reset, {Skipped} left alone.", round.Reset, round.Skipped);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // A failed round (database briefly unavailable) must not stop the schedule; the next round retries.
                logger.LogError(ex, "Scheduled token resets failed; retrying in {Interval}.", interval);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
