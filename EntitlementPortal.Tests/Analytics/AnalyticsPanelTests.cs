using Bunit;
using EntitlementPortal.Features.Analytics;
using EntitlementPortal.Features.Customers;
using EntitlementPortal.Features.Repositories;
using EntitlementPortal.Features.Tokens;
using EntitlementPortal.Identity;
using EntitlementPortal.Tests.Downloads;
using EntitlementPortal.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace EntitlementPortal.Tests.Analytics;

public sealed class AnalyticsPanelTests : PortalComponentTest
{
    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    public AnalyticsPanelTests() : base(withDatabase: true)
    {
        SignIn("ada@example.com", Roles.AccountManager);
    }

    private async Task<(int CustomerId, int TokenId)> SeedAsync()
    {
        await Services.GetRequiredService<RepositoryService>().CreateAsync(TestDatabase.Administrator, new RepositoryInput { Slug = "acme", Name = "Acme" }, Ct);
        var customerId = (await Services.GetRequiredService<CustomerService>().CreateAsync(TestDatabase.Administrator, new CustomerInput { Name = "Acme Corp" }, Ct)).Id;
        var tokens = Services.GetRequiredService<TokenEditor>();
        var tokenId = (await tokens.CreateAsync(TestDatabase.Administrator, "acme", new TokenInput { Name = "Busy", CustomerId = customerId }, Ct)).Id;
        await tokens.CreateAsync(TestDatabase.Administrator, "acme", new TokenInput { Name = "Idle", IsActive = false }, Ct);
        var now = DateTime.UtcNow;
        await using var db = Database.OpenContext();
        await HistoryRows.AddAsync(db,
            HistoryRows.Served(now.AddDays(-2), tokenId, customerId, bytes: 2_000_000),
            HistoryRows.Served(now.AddDays(-1), tokenId, customerId, bytes: 2_000_000, clientIp: "198.51.100.2"),
            HistoryRows.Refused(now.AddHours(-1), "ip_not_allowed", tokenId, customerId),
            HistoryRows.Served(now.AddDays(-60), tokenId, customerId, bytes: 9_000_000));
        return (customerId, tokenId);
    }

    [Fact]
    public async Task Customer_usage_shows_totals_charts_top_packages_and_refusals_for_the_last_30_days()
    {
        var (customerId, _) = await SeedAsync();

        var panel = Render<UsagePanel>(p => p.Add(c => c.Scope, UsageScope.ForCustomer(customerId)));

        panel.WaitForAssertion(() => Assert.Equal("2", panel.Find("#usage-downloads").TextContent.Trim()));
        Assert.Equal("2", panel.Find("#usage-clients").TextContent.Trim());
        Assert.Equal(ByteSize.Format(4_000_000), panel.Find("#usage-bytes").TextContent.Trim());
        Assert.EndsWith("from 198.51.100.2", panel.Find("#usage-last").TextContent.Trim(), StringComparison.Ordinal);
        Assert.Equal(["acme-agent 2.1.0: 2 downloads"], panel.FindAll(".usage-top-package").Select(e => e.TextContent.Trim()));
        Assert.Equal(["ip_not_allowed: 1"], panel.FindAll(".usage-refused").Select(e => e.TextContent.Trim()));
        Assert.NotNull(panel.Find("#usage-downloads-chart"));
        Assert.NotNull(panel.Find("#usage-bytes-chart"));
    }

    [Fact]
    public async Task Token_usage_shows_its_figures_and_links_each_refusal_reason_to_the_filtered_history()
    {
        var (_, tokenId) = await SeedAsync();

        var panel = Render<UsagePanel>(p => p.Add(c => c.Scope, UsageScope.ForToken("acme", tokenId)));

        panel.WaitForAssertion(() => Assert.Equal("2", panel.Find("#usage-downloads").TextContent.Trim()));
        Assert.Equal(ByteSize.Format(4_000_000), panel.Find("#usage-bytes").TextContent.Trim());
        Assert.Equal("Bandwidth per day (MB)", panel.Find("#usage-bytes-chart-title").TextContent.Trim());
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var link = panel.Find(".usage-refused-link");
        Assert.Equal("ip_not_allowed", link.TextContent.Trim());
        Assert.Equal($"downloads?tokenId={tokenId}&outcome=refused&reason=ip_not_allowed&range=custom&from={today.AddDays(-29):yyyy-MM-dd}&to={today:yyyy-MM-dd}",
            link.GetAttribute("href"));
        Assert.Equal($"downloads?tokenId={tokenId}&range=custom&from={today.AddDays(-29):yyyy-MM-dd}&to={today:yyyy-MM-dd}",
            panel.Find("#usage-history-link").GetAttribute("href"));
    }

    [Fact]
    public async Task Token_usage_reads_again_when_the_page_asks_for_a_refresh()
    {
        var (customerId, tokenId) = await SeedAsync();
        var panel = Render<UsagePanel>(p => p.Add(c => c.Scope, UsageScope.ForToken("acme", tokenId)));
        panel.WaitForAssertion(() => Assert.Equal("2", panel.Find("#usage-downloads").TextContent.Trim()));
        await using (var db = Database.OpenContext())
        {
            await HistoryRows.AddAsync(db, HistoryRows.Served(DateTime.UtcNow, tokenId, customerId, bytes: 1_000_000));
        }

        panel.Render(p => p.Add(c => c.Scope, UsageScope.ForToken("acme", tokenId)).Add(c => c.Refresh, 1));

        panel.WaitForAssertion(() => Assert.Equal("3", panel.Find("#usage-downloads").TextContent.Trim()));
    }

    [Fact]
    public async Task A_period_without_downloads_says_so()
    {
        await SeedAsync();
        var idle = (await Services.GetRequiredService<TokenEditor>().CreateAsync(TestDatabase.Administrator, "acme", new TokenInput { Name = "New" }, Ct)).Id;

        var panel = Render<UsagePanel>(p => p.Add(c => c.Scope, UsageScope.ForToken("acme", idle)));

        panel.WaitForAssertion(() => Assert.Equal("No downloads in this period.", panel.Find("#usage-empty").TextContent.Trim()));
        Assert.Empty(panel.FindAll("#usage-downloads-chart"));
    }

    [Fact]
    public async Task Repository_metrics_show_token_counts_and_per_token_figures()
    {
        await SeedAsync();

        var panel = Render<RepositoryMetricsPanel>(p => p.Add(c => c.Repo, "acme"));

        panel.WaitForAssertion(() => Assert.Contains("2 standard tokens: 1 active, 1 inactive", panel.Find("#metrics-tokens").TextContent));
        var downloads = panel.FindAll("#metrics-downloads td").Select(e => e.TextContent.Trim()).ToArray();
        Assert.Equal(["2", "1", "0", "2"], downloads);
        Assert.Equal(ByteSize.Format(4_000_000), panel.FindAll("#metrics-bandwidth td")[0].TextContent.Trim());
    }

    [Fact]
    public async Task The_panels_show_the_problem_to_someone_who_may_not_read_usage()
    {
        var (customerId, tokenId) = await SeedAsync();
        SignIn("dev@example.com");

        var usage = Render<UsagePanel>(p => p.Add(c => c.Scope, UsageScope.ForCustomer(customerId)));
        var metrics = Render<RepositoryMetricsPanel>(p => p.Add(c => c.Repo, "acme"));

        var token = Render<UsagePanel>(p => p.Add(c => c.Scope, UsageScope.ForToken("acme", tokenId)));

        usage.WaitForAssertion(() => Assert.Contains("See the download history needs", usage.Find("#usage-problem").TextContent));
        token.WaitForAssertion(() => Assert.Contains("not found", token.Find("#usage-problem").TextContent, StringComparison.OrdinalIgnoreCase));
        metrics.WaitForAssertion(() => Assert.Contains("See the download history needs", metrics.Find("#metrics-problem").TextContent));
    }
}
