using Bunit;
using EntitlementPortal.Features.Audit;
using EntitlementPortal.Features.Dashboard;
using EntitlementPortal.Features.Downloads;
using EntitlementPortal.Features.Repositories;
using EntitlementPortal.Features.Shared;
using EntitlementPortal.Features.Tokens;
using EntitlementPortal.Identity;
using EntitlementPortal.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace EntitlementPortal.Tests.Dashboard;

public sealed class DashboardPageTests : PortalComponentTest
{
    private const string November = "range=custom&from=2026-11-01&to=2026-11-30";

    public DashboardPageTests() : base(withDatabase: true, clock: new FakeTimeProvider(DashboardSeed.Now))
    {
        var configuration = (IConfigurationRoot)Services.GetRequiredService<IConfiguration>();
        configuration[$"{PlanOptions.Section}:{nameof(PlanOptions.MaxActiveTokens)}"] = "10";
        configuration.Reload();
    }

    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    private IRenderedComponent<DashboardPage> RenderLoaded()
    {
        var page = Render<DashboardPage>();
        page.WaitForElement("#stat-downloads");
        return page;
    }

    private static string Text(IRenderedComponent<DashboardPage> page, string selector) => page.Find(selector).TextContent.Trim();

    private static string[] Texts(IRenderedComponent<DashboardPage> page, string selector) =>
        page.FindAll(selector).Select(e => e.TextContent.Trim()).ToArray();

    private static string[] Hrefs(IRenderedComponent<DashboardPage> page, string selector) =>
        page.FindAll(selector).Select(e => e.GetAttribute("href") ?? "").ToArray();

    [Fact]
    public void An_empty_portal_shows_zeros_and_says_there_is_nothing_yet()
    {
        SignIn("ada@example.com", Roles.Administrator);

        var page = RenderLoaded();

        Assert.Equal("The last 30 days: 2026-11-01 to 2026-11-30 (UTC).", Text(page, "#dashboard-window"));
        Assert.Equal("0", Text(page, "#stat-downloads .stat-value"));
        Assert.Equal(ByteSize.Format(0), Text(page, "#stat-bytes .stat-value"));
        Assert.Equal("0", Text(page, "#stat-active-tokens .stat-value"));
        Assert.Equal("of 10 in the plan", Text(page, "#stat-active-tokens .stat-caption"));
        Assert.Equal("0", Text(page, "#stat-refused .stat-value"));
        Assert.Equal(4, page.FindAll(".dashboard-empty").Count);
    }

    [Fact]
    public async Task Loaded_figures_match_the_seeded_history()
    {
        await DashboardSeed.SeedAsync(Services, Database, Ct);
        SignIn("tm@example.com", Roles.TokenManager);

        var page = RenderLoaded();

        Assert.Equal("6", Text(page, "#stat-downloads .stat-value"));
        Assert.Equal(ByteSize.Format(1160), Text(page, "#stat-bytes .stat-value"));
        Assert.Equal("6", Text(page, "#stat-active-tokens .stat-value"));
        Assert.Equal("6", Text(page, "#stat-refused .stat-value"));
        Assert.Equal(["Acme Corp", "Globex"], Texts(page, ".top-customer-name"));
        Assert.Equal(["3", "2"], Texts(page, ".top-customer-downloads"));
        Assert.Equal([ByteSize.Format(350), ByteSize.Format(800)], Texts(page, ".top-customer-bytes"));
        Assert.Equal(["rate_limited", "download_limit", "ip_not_allowed"], Texts(page, ".refusal-reason"));
        Assert.Equal(["3", "2", "1"], Texts(page, ".refusal-count"));
        Assert.Equal(["Ending", "Later", "Acme CI", "Globex CI", "One seat"], Texts(page, ".watch-token"));
        Assert.Equal(["ends 2026-12-10 12:00 UTC", "ends 2026-12-20 12:00 UTC", "near its download limit", "near its bandwidth limit", "clients at limit"],
            Texts(page, ".watch-why"));
        Assert.Equal("8 of 10 downloads", Texts(page, ".watch-usage")[2]);
    }

    [Fact]
    public async Task Every_figure_links_to_the_log_filtered_to_what_it_counts_or_to_its_list()
    {
        var portal = await DashboardSeed.SeedAsync(Services, Database, Ct);
        SignIn("am@example.com", Roles.AccountManager);

        var page = RenderLoaded();

        Assert.Equal($"downloads?outcome=served&{November}", Hrefs(page, "#stat-downloads a").Single());
        Assert.Equal($"downloads?outcome=served&{November}", Hrefs(page, "#stat-bytes a").Single());
        Assert.Equal("tokens", Hrefs(page, "#stat-active-tokens a").Single());
        Assert.Equal($"downloads?outcome=refused&{November}", Hrefs(page, "#stat-refused a").Single());
        Assert.Equal([$"customers/{portal.Acme}", $"customers/{portal.Globex}"], Hrefs(page, "a.top-customer-name"));
        Assert.Equal([$"downloads?customerId={portal.Acme}&outcome=served&{November}", $"downloads?customerId={portal.Globex}&outcome=served&{November}"],
            Hrefs(page, "a.top-customer-downloads"));
        Assert.Equal([$"downloads?outcome=refused&reason=rate_limited&{November}", $"downloads?outcome=refused&reason=download_limit&{November}",
            $"downloads?outcome=refused&reason=ip_not_allowed&{November}"], Hrefs(page, "a.refusal-count"));
        Assert.Equal([$"repositories/alpha/tokens/{portal.Ending}", $"repositories/alpha/tokens/{portal.Later}", $"repositories/alpha/tokens/{portal.AcmeCi}",
            $"repositories/beta/tokens/{portal.GlobexCi}", $"repositories/alpha/tokens/{portal.OneSeat}"], Hrefs(page, "a.watch-token"));
        Assert.Equal($"downloads?tokenId={portal.AcmeCi}", Hrefs(page, "a.watch-usage")[2]);

        // The Downloads page reads the same link into the filter that finds exactly the refusals counted.
        var state = DownloadPageState.FromUri(Hrefs(page, "a.refusal-count")[1]);
        var log = await Services.GetRequiredService<DownloadHistoryService>()
            .ListAsync(TestDatabase.Administrator, state.ToQuery(DashboardSeed.Now.UtcDateTime), state.ToPageRequest(), Ct);
        Assert.Equal(2, log.Total);
        Assert.All(log.Items, e => Assert.Equal("download_limit", e.Reason));
    }

    [Fact]
    public async Task A_reader_without_roles_sees_the_start_page_with_their_repositories_and_my_tokens()
    {
        await DashboardSeed.SeedAsync(Services, Database, Ct);
        await Services.GetRequiredService<RepositoryService>().CreateAsync(TestDatabase.Administrator,
            new RepositoryInput { Slug = "open", Name = "Open builds", Visibility = RepositoryVisibility.Public }, Ct);
        SignIn("dev@example.com");

        var page = Render<DashboardPage>();

        page.WaitForAssertion(() => Assert.Equal(["Open builds"], page.FindAll(".start-repository .mud-list-item-text p:first-child")
            .Select(e => e.TextContent.Trim())));
        Assert.Equal("my-tokens", page.Find("#my-tokens-link").GetAttribute("href"));
        Assert.Empty(page.FindAll("#stat-downloads"));
        Assert.Empty(page.FindAll("#dashboard-problem"));
        Assert.Contains("dev@example.com", page.Find("#welcome").TextContent);
    }

    [Fact]
    public async Task Opening_the_dashboard_changes_nothing()
    {
        await DashboardSeed.SeedAsync(Services, Database, Ct);
        SignIn("ada@example.com", Roles.Administrator);
        var before = await SnapshotAsync();

        var page = RenderLoaded();

        Assert.Empty(page.FindAll("button"));
        Assert.Equal(before, await SnapshotAsync());
    }

    private async Task<string> SnapshotAsync()
    {
        await using var db = Database.OpenContext();
        var tokens = await db.Set<EntitlementToken>().OrderBy(t => t.Id)
            .Select(t => $"{t.Id}:{t.IsActive}:{t.IsDeleted}:{t.Downloads}:{t.Clients}:{t.BandwidthBytes}:{t.UpdatedAt:O}").ToListAsync(Ct);
        var usage = await db.Set<TokenDailyUsage>().OrderBy(u => u.TokenId).ThenBy(u => u.Day)
            .Select(u => $"{u.TokenId}:{u.Day:O}:{u.Downloads}:{u.Bytes}").ToListAsync(Ct);
        var events = await db.Set<DownloadEvent>().CountAsync(Ct);
        var audit = await db.Set<AuditEntry>().CountAsync(Ct);
        return string.Join("|", tokens) + "#" + string.Join("|", usage) + $"#{events}#{audit}";
    }
}
