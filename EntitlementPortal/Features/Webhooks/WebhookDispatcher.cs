using Microsoft.Extensions.Options;

namespace EntitlementPortal.Features.Webhooks;

/// <summary>
/// Runs <see cref="WebhookSending"/> on every instance: at once again while there is work, otherwise every
/// <see cref="WebhookOptions.PollInterval"/>. Deliveries live in the database, so a restart loses none. The pause is
/// real time, not the injectable clock: it paces the polling, while the clock decides what is due (a test that moves
/// the clock days ahead must not fire a poll for every interval in between).
/// </summary>
internal sealed class WebhookDispatcher(
    WebhookSending sending, IOptionsMonitor<WebhookOptions> options, ILogger<WebhookDispatcher> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var attempted = 0;
            try
            {
                attempted = await sending.SendDueAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The database may be briefly unavailable; deliveries wait in it and the next round retries.
                logger.LogError(ex, "Sending webhook deliveries failed; retrying in {Interval}.", options.CurrentValue.PollInterval);
            }
            if (attempted == 0)
            {
                try
                {
                    await Task.Delay(options.CurrentValue.PollInterval, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }
}
