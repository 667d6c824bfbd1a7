using EntitlementPortal.Features.Dashboard;
using EntitlementPortal.Features.Shared;
using EntitlementPortal.Features.Tokens;
using EntitlementPortal.Identity;
using EntitlementPortal.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace EntitlementPortal.Tests.Dashboard;

public sealed class DashboardServiceTests : IAsyncLifetime
{
    private readonly TestDatabase database = new(new Dictionary<string, string?> { ["Plan:MaxActiveTokens"] = "10" });
    private readonly FakeTimeProvider clock = new(DashboardSeed.Now);
    private readonly ServiceProvider services;

    public DashboardServiceTests()
    {
        var collection = database.AddTo(new ServiceCollection());
        collection.AddSingleton<TimeProvider>(clock);
        services = collection.BuildServiceProvider();
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private DashboardService Dashboard => services.GetRequiredService<DashboardService>();

    [Fact]
    public async Task An_empty_portal_reads_as_zeros_and_empty_lists()
    {
        var summary = await Dashboard.GetAsync(TestDatabase.Administrator, Ct);

        Assert.Equal(new DashboardWindow(new DateOnly(2026, 11, 1), new DateOnly(2026, 11, 30)), summary.Window);
        Assert.Equal((0, 0, 0), (summary.Downloads, summary.Bytes, summary.Refused));
        Assert.Equal(new TokenAllowance(0, 10), summary.ActiveTokens);
        Assert.Empty(summary.TopCustomers);
        Assert.Empty(summary.RefusalsByReason);
        Assert.Empty(summary.TokensToWatch);
    }

    [Fact]
    public async Task Figures_of_the_last_30_days_match_the_seeded_history_exactly()
    {
        var portal = await DashboardSeed.SeedAsync(services, database, Ct);

        var summary = await Dashboard.GetAsync(TestDatabase.Administrator, Ct);

        // 3 + 2 + 1 counted (the resumed range adds bytes, not a download; 31 October is outside the window).
        Assert.Equal(6, summary.Downloads);
        Assert.Equal(300 + 50 + 800 + 10, summary.Bytes);
        Assert.Equal(new TokenAllowance(6, 10), summary.ActiveTokens);
        Assert.Equal([new CustomerDownloads(portal.Acme, "Acme Corp", 3, 350), new CustomerDownloads(portal.Globex, "Globex", 2, 800)],
            summary.TopCustomers);
        Assert.Equal([new RefusalCount("rate_limited", 3), new RefusalCount("download_limit", 2), new RefusalCount("ip_not_allowed", 1)],
            summary.RefusalsByReason);
        Assert.Equal(6, summary.Refused);
    }

    [Fact]
    public async Task Tokens_to_watch_are_active_ones_ending_within_30_days_or_at_80_percent_or_out_of_clients()
    {
        var portal = await DashboardSeed.SeedAsync(services, database, Ct);

        var watch = (await Dashboard.GetAsync(TestDatabase.Administrator, Ct)).TokensToWatch;

        Assert.Equal([(portal.Ending, TokenConcern.ExpiresSoon), (portal.Later, TokenConcern.ExpiresSoon), (portal.AcmeCi, TokenConcern.NearDownloadLimit),
            (portal.GlobexCi, TokenConcern.NearBandwidthLimit), (portal.OneSeat, TokenConcern.ClientsAtLimit)],
            watch.Select(t => (t.TokenId, t.Concerns)));
        // Later: 7 of 10 downloads (not near its limit) but 20 days left; Disabled ends in 3 days but serves nothing anyway.
        Assert.DoesNotContain(watch, t => t.TokenId == portal.Disabled);
        Assert.Equal("Acme Corp", watch[2].CustomerName);
    }

    [Fact]
    public async Task Subscriptions_ending_within_30_days_are_listed_soonest_first_without_revoked_customers()
    {
        var customers = services.GetRequiredService<Features.Customers.CustomerService>();
        var now = DashboardSeed.Now.UtcDateTime;
        async Task<int> Customer(string name, int days) => (await customers.CreateAsync(TestDatabase.Administrator,
            new Features.Customers.CustomerInput { Name = name, Plan = "gold", SubscriptionEndsAt = now.AddDays(days) }, Ct)).Id;
        var late = await Customer("Late", 29);
        var soon = await Customer("Soon", 2);
        await Customer("Far", 31);
        await Customer("Past", -1);
        var revoked = await Customer("Revoked", 5);
        await customers.RevokeAsync(TestDatabase.Administrator, revoked, Ct);

        var ending = (await Dashboard.GetAsync(TestDatabase.Administrator, Ct)).SubscriptionsEnding;

        Assert.Equal([soon, late], ending.Select(c => c.CustomerId));
        Assert.Equal(("Soon", "gold", now.AddDays(2)), (ending[0].Name, ending[0].Plan, ending[0].EndsAt));
    }

    [Fact]
    public async Task Later_the_window_moves_and_a_token_past_its_end_leaves_the_watch_list()
    {
        var portal = await DashboardSeed.SeedAsync(services, database, Ct);
        clock.Advance(TimeSpan.FromDays(22));

        var summary = await Dashboard.GetAsync(TestDatabase.Administrator, Ct);

        Assert.Equal(new DashboardWindow(new DateOnly(2026, 11, 23), new DateOnly(2026, 12, 22)), summary.Window);
        // Only the Globex downloads (25 Nov) and the Ending one (29 Nov) are still inside.
        Assert.Equal((3, 810), (summary.Downloads, summary.Bytes));
        Assert.Equal([portal.AcmeCi, portal.GlobexCi, portal.OneSeat], summary.TokensToWatch.Select(t => t.TokenId));
    }

    [Theory]
    [InlineData(Roles.Administrator)]
    [InlineData(Roles.AccountManager)]
    [InlineData(Roles.TokenManager)]
    public async Task History_readers_get_the_figures(string role)
    {
        await Dashboard.GetAsync(TestDatabase.ActorWith("staff@example.com", role), Ct);

        Assert.True(DashboardService.MayRead(TestDatabase.ActorWith("staff@example.com", role)));
    }

    [Fact]
    public async Task Someone_without_a_role_is_refused_the_figures()
    {
        var reader = TestDatabase.ActorWith("dev@example.com");

        Assert.False(DashboardService.MayRead(reader));
        var refused = await Assert.ThrowsAsync<ForbiddenException>(() => Dashboard.GetAsync(reader, Ct));
        Assert.StartsWith("See the download history needs", refused.Message, StringComparison.Ordinal);
    }

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        await services.DisposeAsync();
        database.Dispose();
    }
}
