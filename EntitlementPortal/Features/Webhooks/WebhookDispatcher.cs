using Microsoft.Extensions.Options;

namespace EntitlementPortal.Features.Webhooks;

/// <summary>
/// Runs <see cref="WebhookSending"/> on every instance: at once again while there is work, otherwise every
/// <see cref="WebhookOptions.PollInterval"/>. Deliveries live in the database, so a restart loses none.
/// </summary>
internal sealed class WebhookDispatcher(
    WebhookSending sending, IOptionsMonitor<WebhookOptions> options, TimeProvider clock, ILogger<WebhookDispatcher> logger) : BackgroundService
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
                    await Task.Delay(options.CurrentValue.PollInterval, clock, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }
}
