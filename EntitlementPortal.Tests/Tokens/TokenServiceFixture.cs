using EntitlementPortal.Features.Customers;
using EntitlementPortal.Features.Repositories;
using EntitlementPortal.Features.Tokens;
using EntitlementPortal.Tests.Support;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace EntitlementPortal.Tests.Tokens;

/// <summary>Token services over a real SQLite file, a fake clock, and two private repositories plus a public one.</summary>
public abstract class TokenServiceTestBase : IAsyncLifetime
{
    private readonly List<ServiceProvider> otherHosts = [];

    protected TokenServiceTestBase(int maxActiveTokens = 0)
    {
        Database = new TestDatabase(new Dictionary<string, string?> { ["Plan:MaxActiveTokens"] = maxActiveTokens.ToString() });
        Services = BuildHost(Clock, Logs);
    }

    protected TestDatabase Database { get; }
    protected ServiceProvider Services { get; }
    protected FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.Zero));

    /// <summary>What the reset scheduler of <see cref="Services"/> logs.</summary>
    protected LogCapture Logs { get; } = LogCapture.For<TokenResetScheduler>();

    /// <summary>
    /// A second app instance over the same database file and master key (another server on the same database),
    /// with its own clock, scheduler log and EF Core interceptors. Disposed with the test.
    /// </summary>
    protected ServiceProvider AddHost(TimeProvider? clock = null, LogCapture? logs = null, params IInterceptor[] interceptors)
    {
        var host = BuildHost(clock ?? Clock, logs ?? LogCapture.For<TokenResetScheduler>(), interceptors);
        otherHosts.Add(host);
        return host;
    }

    private ServiceProvider BuildHost(TimeProvider clock, LogCapture logs, params IInterceptor[] interceptors)
    {
        var services = Database.AddTo(new ServiceCollection(), interceptors);
        services.AddSingleton(clock);
        services.AddSingleton<ILoggerProvider>(logs);
        services.Configure<LoggerFilterOptions>(options => options.MinLevel = LogLevel.Debug);
        return services.BuildServiceProvider();
    }
    protected TokenQueries TokenQueries => Services.GetRequiredService<TokenQueries>();
    protected TokenEditor TokenEditor => Services.GetRequiredService<TokenEditor>();
    protected TokenLifecycle TokenLifecycle => Services.GetRequiredService<TokenLifecycle>();
    protected TokenSync TokenSync => Services.GetRequiredService<TokenSync>();
    protected TokenUsageResets TokenResets => Services.GetRequiredService<TokenUsageResets>();
    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        var repositories = Services.GetRequiredService<RepositoryService>();
        await repositories.CreateAsync(TestDatabase.Administrator, new RepositoryInput { Slug = "alpha", Name = "Alpha" }, Ct);
        await repositories.CreateAsync(TestDatabase.Administrator, new RepositoryInput { Slug = "beta", Name = "Beta" }, Ct);
        await repositories.CreateAsync(TestDatabase.Administrator,
            new RepositoryInput { Slug = "open", Name = "Open", Visibility = RepositoryVisibility.Public }, Ct);
        CustomerId = (await Services.GetRequiredService<CustomerService>()
            .CreateAsync(TestDatabase.Administrator, new CustomerInput { Name = "Acme Corp" }, Ct)).Id;
    }

    protected int CustomerId { get; private set; }

    protected Task<TokenView> CreateAsync(string repo = "alpha", string name = "Acme", string? secret = null, bool active = true) =>
        TokenEditor.CreateAsync(TestDatabase.Administrator, repo, new TokenInput { Name = name, Token = secret, IsActive = active }, Ct);

    public async ValueTask DisposeAsync()
    {
        foreach (var host in otherHosts)
        {
            await host.DisposeAsync();
        }
        await Services.DisposeAsync();
        Database.Dispose();
        GC.SuppressFinalize(this);
    }
}
