namespace EntitlementPortal.Features.Webhooks;

public static class WebhookRegistration
{
    public static IServiceCollection AddWebhooks(this IServiceCollection services)
    {
        services.AddOptions<WebhookOptions>().BindConfiguration(WebhookOptions.Section)
            .Validate(o => o.FirstRetryDelay > TimeSpan.Zero, "Webhooks:FirstRetryDelay must be positive.")
            .Validate(o => o.PollInterval > TimeSpan.Zero, "Webhooks:PollInterval must be positive.")
            .ValidateOnStart();
        services.AddSingleton<WebhookTargets>().AddSingleton<WebhookSecrets>().AddSingleton<WebhookEvents>()
            .AddSingleton<WebhookAttemptFeed>().AddSingleton<WebhookSending>()
            .AddSingleton<DownloadRefusalWebhooks>();
        services.AddScoped<WebhookSubscriptions>().AddScoped<WebhookDeliveries>().AddScoped<ExpiryWarnings>();
        services.AddHttpClient(WebhookSending.HttpClientName, client =>
            {
                client.Timeout = Timeout.InfiniteTimeSpan; // each attempt has its own 10-second budget
                client.DefaultRequestHeaders.UserAgent.ParseAdd("EntitlementPortal-Webhooks/1");
            })
            .ConfigurePrimaryHttpMessageHandler(provider =>
            {
                var targets = provider.GetRequiredService<WebhookTargets>();
                return new SocketsHttpHandler
                {
                    // A redirect would be a second, unchecked target; a proxy would connect somewhere we didn't check.
                    AllowAutoRedirect = false,
                    UseProxy = false,
                    UseCookies = false,
                    ConnectTimeout = WebhookRules.Timeout,
                    ConnectCallback = targets.ConnectAsync,
                };
            });
        services.AddHostedService<WebhookDispatcher>().AddHostedService<ExpiryWarningScheduler>();
        return services;
    }
}
