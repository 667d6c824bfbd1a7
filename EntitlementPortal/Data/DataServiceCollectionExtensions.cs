using EntitlementPortal.Security;
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
        services.AddSingleton<DatabaseWriteGate>();
        services.AddSingleton<DatabaseLoggerFactory>();

        switch (settings.Provider)
        {
            case DatabaseProvider.SqlServer:
                services.AddDbContextFactory<SqlServerAppDbContext>((sp, options) => options.UseSqlServer(settings.ConnectionString)
                    .UseLoggerFactory(sp.GetRequiredService<DatabaseLoggerFactory>()));
                services.AddSingleton<IDbContextFactory<AppDbContext>, AppDbContextFactory<SqlServerAppDbContext>>();
                break;
            case DatabaseProvider.PostgreSql:
                services.AddDbContextFactory<PostgreSqlAppDbContext>((sp, options) => options.UsePortalPostgreSql(settings.ConnectionString)
                    .UseLoggerFactory(sp.GetRequiredService<DatabaseLoggerFactory>()));
                services.AddSingleton<IDbContextFactory<AppDbContext>, AppDbContextFactory<PostgreSqlAppDbContext>>();
                break;
            default:
                services.AddDbContextFactory<SqliteAppDbContext>((sp, options) => options.UseSqlite(settings.ConnectionString)
                    .UseLoggerFactory(sp.GetRequiredService<DatabaseLoggerFactory>()));
                services.AddSingleton<IDbContextFactory<AppDbContext>, AppDbContextFactory<SqliteAppDbContext>>();
                break;
        }

        // Identity's stores and the health check want a scoped context; everything else uses the factory.
        services.AddScoped<AppDbContext>(sp => sp.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContext());

        services.AddPortalDataProtection(MasterKey.Load(configuration, settings.DataDirectory));

        // Also resolvable by itself: commands that never start the host (seed-demo) run the same start-up path.
        services.AddSingleton<DatabaseInitializer>();
        services.AddHostedService(sp => sp.GetRequiredService<DatabaseInitializer>());
        return services;
    }

    /// <summary>
    /// Data Protection with its key ring in the database, each key encrypted under the master key. Cookies and
    /// the encrypted copies of token secrets depend on it, so every instance sharing the database must share
    /// the master key too.
    /// </summary>
    public static IServiceCollection AddPortalDataProtection(this IServiceCollection services, MasterKey masterKey)
    {
        services.AddSingleton(masterKey);
        services.AddDataProtection()
            .SetApplicationName("EntitlementPortal")
            .PersistKeysToDbContext<AppDbContext>()
            .AddKeyManagementOptions(options => options.XmlEncryptor = new MasterKeyXmlEncryptor(masterKey));
        return services;
    }
}
