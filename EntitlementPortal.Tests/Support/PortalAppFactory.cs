using System.Net;
using EntitlementPortal.Data;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EntitlementPortal.Tests.Support;

/// <summary>
/// The real app (Program) on a real SQLite file in a fresh temp folder, which starts as a copy of
/// <see cref="MigratedTemplate"/> unless ConnectionStrings:Default is set to another file; or, when
/// <see cref="TestProvider"/> says so, on a fresh database of the test PostgreSQL server with a master key of its own.
/// Extra settings go through <see cref="Settings"/> before the first use, exactly as environment variables would.
/// </summary>
public class PortalAppFactory : WebApplicationFactory<Program>
{
    private readonly TempDirectory directory;
    private readonly bool ownsDirectory;

    private readonly string? postgreSqlDatabase;

    public PortalAppFactory()
    {
        directory = new TempDirectory();
        ownsDirectory = true;
        if (TestProvider.IsPostgreSql)
        {
            postgreSqlDatabase = PostgresServer.Instance.CreateDatabaseAsync().GetAwaiter().GetResult();
            Settings["Database:Provider"] = nameof(DatabaseProvider.PostgreSql);
            Settings["ConnectionStrings:Default"] = postgreSqlDatabase;
            // Server databases keep no key file beside them; every instance gets the same key, as in production.
            Settings[EntitlementPortal.Security.MasterKey.ConfigurationKey] = EntitlementPortal.Security.MasterKey.NewKeyText();
        }
        else
        {
            MigratedTemplate.CopyTo(DatabasePath);
        }
    }

    private PortalAppFactory(PortalAppFactory first)
    {
        directory = first.directory;
        ownsDirectory = false;
        foreach (var (key, value) in first.Settings)
        {
            Settings[key] = value;
        }
    }

    /// <summary>
    /// A second instance of the app over <paramref name="first"/>'s database file, package folder and master key
    /// (the key file beside the database), with a copy of its settings: another server behind the same load
    /// balancer. Start <paramref name="first"/> before this one; the files stay until <paramref name="first"/> is
    /// disposed. (A factory method, not a constructor: class fixtures need a single public constructor.)
    /// </summary>
    public static PortalAppFactory SecondInstanceOf(PortalAppFactory first) => new(first);

    public Dictionary<string, string?> Settings { get; } = new();

    /// <summary>Extra logging providers (e.g. <see cref="LogRecording"/>), added before the first use.</summary>
    public List<ILoggerProvider> LoggerProviders { get; } = [];
    /// <summary>Applied after the app's own registration (a fake clock, a counting decorator), before first use.</summary>
    public List<Action<IServiceCollection>> TestServices { get; } = [];
    /// <summary>EF Core interceptors for this instance's contexts only; add them before first use.</summary>
    public List<IInterceptor> DatabaseInterceptors { get; } = [];

    /// <summary>The SQLite file (only on SQLite: tests that read the file itself are <see cref="TestProvider.SqliteOnly"/>).</summary>
    public string DatabasePath => TestProvider.IsPostgreSql
        ? throw new InvalidOperationException("This test reads the SQLite file; mark it [Trait(\"Database\", TestProvider.SqliteOnly)].")
        : directory.File("portal.db");

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        if (!TestProvider.IsPostgreSql)
        {
            builder.UseSetting("ConnectionStrings:Default", $"Data Source={DatabasePath}");
        }
        builder.UseSetting("Storage:Root", directory.File("packages"));
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }
        builder.ConfigureLogging(logging =>
        {
            foreach (var provider in LoggerProviders)
            {
                logging.AddProvider(provider);
            }
            // The app's own categories at every level; the framework's at the levels the app configures.
            logging.AddFilter<LogRecording>("EntitlementPortal", LogLevel.Trace);
            logging.AddFilter<LogCapture>("EntitlementPortal", LogLevel.Debug);
        });
        builder.ConfigureTestServices(services =>
        {
            services.UseFastPasswordHashing();
            TestServices.ForEach(configure => configure(services));
        });
        if (DatabaseInterceptors.Count > 0)
        {
            builder.ConfigureServices(services =>
            {
                services.ConfigureDbContext<SqliteAppDbContext>(options => options.AddInterceptors(DatabaseInterceptors));
                services.ConfigureDbContext<PostgreSqlAppDbContext>(options => options.AddInterceptors(DatabaseInterceptors));
            });
        }
    }

    /// <summary>A client without auto-redirects that keeps cookies; real HTTP when the app runs on Kestrel.</summary>
    public HttpClient CreatePortalClient()
    {
        if (this is KestrelPortalFactory kestrel)
        {
            // The factory's own client sits on a socket handler that follows redirects by itself, whatever the options
            // say; a test about where a redirect points must see the redirect.
            return new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new CookieContainer() })
            {
                BaseAddress = kestrel.RootUri,
            };
        }
        return CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
    }

    public async Task<T> WithDbAsync<T>(Func<AppDbContext, Task<T>> query)
    {
        var factory = Services.GetRequiredService<IDbContextFactory<AppDbContext>>();
        await using var db = await factory.CreateDbContextAsync();
        return await query(db);
    }

    /// <summary>A context over this app's database made without the app (usable after <see cref="StopServerAndHostAsync"/>).</summary>
    public AppDbContext OpenDatabase() => postgreSqlDatabase is not null
        ? DesignTimeOptions.CreatePostgreSql(postgreSqlDatabase)
        : DesignTimeOptions.CreateSqlite($"Data Source={DatabasePath}");

    /// <summary>Stops the app gracefully (hosted services drain) but keeps its files for inspection until disposal.</summary>
    public async Task StopServerAndHostAsync() => await base.DisposeAsync();

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (ownsDirectory)
        {
            if (postgreSqlDatabase is not null)
            {
                await PostgresServer.Instance.DropDatabaseAsync(postgreSqlDatabase);
            }
            SqliteConnection.ClearAllPools();
            directory.Dispose();
        }
        GC.SuppressFinalize(this);
    }
}

/// <summary>The same app on real Kestrel with a free port, for the browser and for raw HTTP clients.</summary>
public class KestrelPortalFactory : PortalAppFactory
{
    public KestrelPortalFactory()
    {
        UseKestrel(0);
    }

    /// <summary>Base address such as http://localhost:41234 (localhost, not an IP: cookies and same-site rules).</summary>
    public Uri RootUri
    {
        get
        {
            StartServer();
            var address = Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
            return new UriBuilder(address) { Host = "localhost" }.Uri;
        }
    }
}
