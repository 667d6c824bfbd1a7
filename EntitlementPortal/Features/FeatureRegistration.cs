using EntitlementPortal.Features.ApiKeys;
using EntitlementPortal.Features.Audit;
using EntitlementPortal.Features.Customers;
using EntitlementPortal.Features.Formats;
using EntitlementPortal.Features.Repositories;
using EntitlementPortal.Features.Shared;
using EntitlementPortal.Features.Tokens;
using EntitlementPortal.Features.Webhooks;
using FluentValidation;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace EntitlementPortal.Features;

public static class FeatureRegistration
{
    public static IServiceCollection AddPortalFeatures(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddValidatorsFromAssemblyContaining<RepositoryInputValidator>(ServiceLifetime.Singleton, includeInternalTypes: true);
        services.AddSingleton<AuditTrail>();
        services.AddScoped<ActorAccessor>();
        services.AddHttpContextAccessor();
        services.AddScoped<Microsoft.AspNetCore.Components.Server.Circuits.CircuitHandler, ClientAddressCircuitHandler>();

        services.AddScoped<RepositoryService>();
        services.AddScoped<Repositories.Privileges.RepositoryAccess>();
        services.AddScoped<Permissions.PermissionCheck>();
        services.AddScoped<Repositories.Privileges.RepositoryPrivilegeService>();
        services.AddScoped<Teams.TeamService>();
        services.AddScoped<CustomerService>();
        services.AddScoped<AuditService>();
        services.AddScoped<Downloads.DownloadHistoryService>();
        services.AddScoped<Downloads.DownloadFilterChoices>();
        services.AddScoped<Analytics.RepositoryMetricsService>().AddScoped<Analytics.CustomerUsageService>();
        services.AddScoped<Dashboard.DashboardService>();
        services.AddScoped<ApiKeyService>();
        services.AddScoped<Users.UserDirectory>().AddScoped<Users.UserAdministration>();
        services.AddScoped<Identity.SignInRecorder>();
        services.AddSingleton<Packages.PackageStorage>()
            .AddScoped<Packages.PackageAccess>().AddScoped<Packages.PackageQueries>().AddScoped<Packages.PackageUploads>().AddScoped<Packages.PackageFileSaving>().AddScoped<Packages.FormatFileUploads>()
            .AddScoped<Packages.PackageRemoval>().AddScoped<Packages.PackageBlobCleanup>().AddHostedService<Packages.PackageStorageSweeper>();
        services.AddPackageFormats();
        services.AddWebhooks();
        services.AddSingleton<Tokens.TokenSecretProtector>();
        services.AddScoped<Tokens.TokenAccess>();
        services.AddScoped<Tokens.TokenQueries>();
        services.AddScoped<Tokens.TokenEditor>();
        services.AddScoped<Tokens.TokenLifecycle>();
        services.AddScoped<Tokens.TokenSync>();
        services.AddScoped<Tokens.TokenUsageResets>();
        services.AddScoped<Tokens.UserTokens.UserTokenService>();
        services.AddTokenPageQueries();
        services.AddHostedService<Tokens.TokenResetScheduler>();
        // Checked at start-up (PortalApplication), so a wrong value is one line and exit 1.
        services.AddOptions<Tokens.TokenResetOptions>().BindConfiguration(Tokens.TokenResetOptions.Section);
        services.AddOptions<Tokens.PlanOptions>().BindConfiguration(Tokens.PlanOptions.Section)
            .Validate(o => o.MaxActiveTokens >= 0, "Plan:MaxActiveTokens must be 0 (unlimited) or more.").ValidateOnStart();
        return services;
    }
}
