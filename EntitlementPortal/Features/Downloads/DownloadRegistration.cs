namespace EntitlementPortal.Features.Downloads;

public static class DownloadRegistration
{
    public static IServiceCollection AddDownloads(this IServiceCollection services)
    {
        services.AddOptions<DownloadOptions>().BindConfiguration(DownloadOptions.Section);
        services.AddSingleton<FailedCredentialLimiter>();
        services.AddSingleton<DownloadEventStore>();
        services.AddSingleton<DownloadEventQueue>();
        services.AddHostedService<DownloadEventWriter>();
        services.AddSingleton<UsageLedger>();
        services.AddScoped<DownloadAccess>();
        services.AddScoped<DownloadService>();
        services.AddScoped<DownloadHistoryService>();
        return services;
    }
}
