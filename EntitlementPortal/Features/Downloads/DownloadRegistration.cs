using EntitlementPortal.Features.Downloads.ReadModel;

namespace EntitlementPortal.Features.Downloads;

public static class DownloadRegistration
{
    public static IServiceCollection AddDownloads(this IServiceCollection services)
    {
        services.AddOptions<DownloadOptions>().BindConfiguration(DownloadOptions.Section);
        services.AddMetrics();
        services.AddSingleton<DownloadMetrics>();
        services.AddSingleton<FailedCredentialLimiter>();
        services.AddSingleton<DownloadEventStore>();
        services.AddSingleton<BasicAccountPause>();
        services.AddSingleton<UnknownUserPasswordHash>();
        services.AddSingleton<DownloadEventQueue>();
        services.AddHostedService<DownloadEventWriter>();
        services.AddSingleton<UsageBatch>();
        services.AddSingleton<UsageLedger>();
        services.AddSingleton<DownloadModelVersionReader>();
        services.AddSingleton<DownloadModelLoader>();
        services.AddSingleton<DownloadReadModel>();
        services.AddHostedService<UsageLedgerWriter>();
        services.AddSingleton<ContentCache>();
        services.AddSingleton<CachedContentReader>();
        services.AddSingleton<RedirectOffload>();
        services.AddScoped<DownloadPasswordCheck>();
        services.AddScoped<DownloadAccess>();
        services.AddScoped<DownloadService>();
        services.AddScoped<CustomerPage.CustomerPageQueries>();
        services.AddScoped<CustomerPage.EulaAcceptance>();
        services.AddOptions<HistoryOptions>().BindConfiguration(HistoryOptions.Section);
        services.AddSingleton<HistoryPruner>();
        services.AddHostedService<HistoryRetention>();
        return services;
    }
}
