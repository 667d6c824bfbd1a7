using EntitlementPortal.Data;
using EntitlementPortal.Features;
using EntitlementPortal.Features.Shared;
using EntitlementPortal.Identity;
using Microsoft.AspNetCore.Identity;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using System.Security.Claims;
using EntitlementPortal.Security;
using Microsoft.Extensions.Configuration;

namespace EntitlementPortal.Tests.Support;

/// <summary>
/// The app's feature services over a real, migrated database without the web host: for service tests and for bUnit
/// tests of pages that call services. A SQLite file in a temp folder (a copy of <see cref="MigratedTemplate"/>), or a
/// fresh database on the test PostgreSQL server when <see cref="TestProvider"/> says so.
/// </summary>
public sealed class TestDatabase : IDisposable
{
    private readonly TempDirectory directory = new();

    private readonly IConfiguration configuration;

    /// <param name="settings">Configuration the services see, e.g. Plan:MaxActiveTokens.</param>
    public TestDatabase(IDictionary<string, string?>? settings = null)
    {
        configuration = new ConfigurationBuilder().AddInMemoryCollection(settings ?? new Dictionary<string, string?>()).Build();
        MasterKey = MasterKey.Load(new ConfigurationBuilder().Build(), directory.Path);
        if (TestProvider.IsPostgreSql)
        {
            ConnectionString = PostgresServer.Instance.CreateDatabaseAsync().GetAwaiter().GetResult();
        }
        else
        {
            ConnectionString = $"Data Source={directory.File("portal.db")}";
            MigratedTemplate.CopyTo(directory.File("portal.db"));
        }
    }

    public string ConnectionString { get; }

    /// <summary>A fresh master key per database, as a new installation would make.</summary>
    public MasterKey MasterKey { get; }

    /// <summary>
    /// Registers the database and every feature service, as the app does. Calling it for a second service
    /// collection makes a second host over the same file and master key, as a second app instance would be.
    /// </summary>
    /// <param name="interceptors">EF Core interceptors for this host's contexts only.</param>
    public IServiceCollection AddTo(IServiceCollection services, params IInterceptor[] interceptors)
    {
        services.AddLogging();
        services.AddSingleton(configuration);
        if (TestProvider.IsPostgreSql)
        {
            services.AddDbContextFactory<PostgreSqlAppDbContext>(options => options.UsePortalPostgreSql(ConnectionString).AddInterceptors(interceptors));
            services.AddSingleton<IDbContextFactory<AppDbContext>>(sp =>
                new FactoryAdapter<PostgreSqlAppDbContext>(sp.GetRequiredService<IDbContextFactory<PostgreSqlAppDbContext>>()));
        }
        else
        {
            services.AddDbContextFactory<SqliteAppDbContext>(options => options.UseSqlite(ConnectionString).AddInterceptors(interceptors));
            services.AddSingleton<IDbContextFactory<AppDbContext>>(sp =>
                new FactoryAdapter<SqliteAppDbContext>(sp.GetRequiredService<IDbContextFactory<SqliteAppDbContext>>()));
        }
        services.AddScoped<AppDbContext>(sp => sp.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContext());
        services.AddPortalDataProtection(MasterKey);
        services.AddPortalFeatures();
        services.AddPortalIdentityCore();
        services.UseFastPasswordHashing();
        return services;
    }

    public ServiceProvider BuildServices() => AddTo(new ServiceCollection()).BuildServiceProvider();

    public AppDbContext OpenContext() => TestProvider.IsPostgreSql
        ? DesignTimeOptions.CreatePostgreSql(ConnectionString)
        : DesignTimeOptions.CreateSqlite(ConnectionString);

    public static Actor ActorWith(string name, params string[] roles)
    {
        var claims = new List<Claim> { new(ClaimTypes.Name, name), new(ClaimTypes.NameIdentifier, "id-" + name) };
        claims.AddRange(roles.Select(role => new Claim(ClaimTypes.Role, role)));
        return new Actor(new ClaimsPrincipal(new ClaimsIdentity(claims, "Test")), "203.0.113.7");
    }

    public static Actor Administrator { get; } = ActorWith("admin@example.com", Roles.Administrator);

    public void Dispose()
    {
        if (TestProvider.IsPostgreSql)
        {
            PostgresServer.Instance.DropDatabaseAsync(ConnectionString).GetAwaiter().GetResult();
        }
        else
        {
            SqliteConnection.ClearAllPools();
        }
        directory.Dispose();
    }

    private sealed class FactoryAdapter<TContext>(IDbContextFactory<TContext> inner) : IDbContextFactory<AppDbContext>
        where TContext : AppDbContext
    {
        public AppDbContext CreateDbContext() => inner.CreateDbContext();
    }
}
