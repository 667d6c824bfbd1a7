using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;

namespace EntitlementPortal.Data;

public static class DataServiceCollectionExtensions
{
    public static IServiceCollection AddPortalData(
        this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        var settings = DatabaseSettings.From(configuration, environment);
        services.AddSingleton(settings);

        switch (settings.Provider)
        {
            case DatabaseProvider.SqlServer:
                services.AddDbContextFactory<SqlServerAppDbContext>(options => options.UseSqlServer(settings.ConnectionString));
                services.AddSingleton<IDbContextFactory<AppDbContext>, AppDbContextFactory<SqlServerAppDbContext>>();
                break;
            default:
                services.AddDbContextFactory<SqliteAppDbContext>(options => options.UseSqlite(settings.ConnectionString));
                services.AddSingleton<IDbContextFactory<AppDbContext>, AppDbContextFactory<SqliteAppDbContext>>();
                break;
        }

        // Identity's stores and the health check want a scoped context; everything else uses the factory.
        services.AddScoped<AppDbContext>(sp => sp.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContext());

        services.AddDataProtection()
            .SetApplicationName("EntitlementPortal")
            .PersistKeysToDbContext<AppDbContext>();

        services.AddHostedService<DatabaseInitializer>();
        services.AddHealthChecks().AddDbContextCheck<AppDbContext>("database");
        return services;
    }
}
