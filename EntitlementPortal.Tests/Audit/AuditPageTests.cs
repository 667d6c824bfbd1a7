using System.Text.RegularExpressions;
using Bunit;
using EntitlementPortal.Features.Audit;
using EntitlementPortal.Features.Customers;
using EntitlementPortal.Features.Repositories;
using EntitlementPortal.Features.Shared;
using EntitlementPortal.Identity;
using EntitlementPortal.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace EntitlementPortal.Tests.Audit;

public sealed partial class AuditPageTests : PortalComponentTest
{
    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    private static readonly Actor Grace = TestDatabase.ActorWith("grace@example.com", Roles.Administrator);

    public AuditPageTests() : base(withDatabase: true)
    {
        SignIn("ada@example.com", Roles.AccountManager);
    }

    [Fact]
    public void Says_when_nothing_has_been_recorded()
    {
        var page = Render<AuditPage>();

        page.WaitForAssertion(() => Assert.Contains("No entries match these filters", page.Find(".audit-empty").TextContent));
        Assert.Empty(page.FindAll(".audit-summary"));
    }

    [Fact]
    public async Task Shows_every_change_newest_first_with_who_what_and_from_where()
    {
        await SeedAsync();

        var page = Render<AuditPage>();

        page.WaitForAssertion(() => Assert.Equal(5, page.FindAll(".audit-summary").Count));
        string[] expected = ["Revoked customer 'Acme'", "name: 'alpha' → 'Alpha tools'", "Created customer 'Acme'", "repository 'beta'", "repository 'alpha'"];
        var shown = Summaries(page);
        Assert.Equal(expected.Length, shown.Length);
        Assert.All(expected.Zip(shown), pair => Assert.Contains(pair.First, pair.Second, StringComparison.Ordinal));
        Assert.Equal(["admin@example.com", "grace@example.com", "grace@example.com", "admin@example.com", "admin@example.com"], Texts(page, ".audit-actor"));
        Assert.Equal(["revoke", "update", "create", "create", "create"], Texts(page, ".audit-action"));
        Assert.Equal(["Customer", "Repository", "Customer", "Repository", "Repository"], Texts(page, ".audit-entity-type"));
        Assert.Equal("alpha", Texts(page, ".audit-entity-id")[1]);
        Assert.All(Texts(page, ".audit-ip"), ip => Assert.Equal("203.0.113.7", ip));
        Assert.All(Texts(page, ".audit-at"), at => Assert.Matches(UtcTime(), at));
    }

    [Fact]
    public async Task Entity_ids_link_to_the_entity_and_a_token_to_its_page_in_its_repository()
    {
        await SeedAsync();
        var token = await Services.GetRequiredService<EntitlementPortal.Features.Tokens.TokenEditor>().CreateAsync(
            Grace, "beta", new EntitlementPortal.Features.Tokens.TokenInput { Name = "Globex CI" }, Ct);

        var page = Render<AuditPage>();

        page.WaitForAssertion(() => Assert.Equal(6, page.FindAll(".audit-summary").Count));
        var links = page.FindAll("a.audit-entity-link").Select(a => (a.TextContent.Trim(), a.GetAttribute("href"))).ToList();
        Assert.Contains((token.Id.ToString(), $"repositories/beta/tokens/{token.Id}"), links);
        Assert.Contains(("alpha", "repositories/alpha"), links);
        Assert.Contains(links, l => l.Item2 is { } href && Regex.IsMatch(href, @"^customers/\d+$"));
    }

    [Theory]
    [InlineData("api-key", "17")]
    [InlineData("user", "8c1f")]
    [InlineData("customer", "not-a-number")]
    [InlineData("token", "999")]
    [InlineData("package", "only/two")]
    public void An_entity_without_a_page_to_open_gets_no_link(string type, string id) =>
        Assert.Null(AuditDisplay.EntityHref(type, id, new Dictionary<int, string>()));

    [Fact]
    public void A_package_entry_links_to_its_repositorys_package_list_searched_for_its_name() =>
        Assert.Equal("packages?repo=acme&q=acme-agent", AuditDisplay.EntityHref("package", "acme/acme-agent/2.1.0", new Dictionary<int, string>()));

    [Fact]
    public async Task Typing_an_actor_narrows_the_rows_to_their_changes()
    {
        await SeedAsync();
        var page = Render<AuditPage>();
        page.WaitForAssertion(() => Assert.Equal(5, page.FindAll(".audit-summary").Count));

        page.Find("#filter-actor").Input("Grace");

        page.WaitForAssertion(() => Assert.Equal(["grace@example.com", "grace@example.com"], Texts(page, ".audit-actor")));
    }

    [Fact]
    public async Task Choosing_an_entity_type_shows_only_that_type()
    {
        await SeedAsync();
        var popovers = Render<MudPopoverProvider>();
        var page = Render<AuditPage>();
        page.WaitForAssertion(() => Assert.Equal(5, page.FindAll(".audit-summary").Count));

        await ChooseAsync(page, popovers, "#filter-entity-type", "Customer");

        page.WaitForAssertion(() => Assert.Equal(["Customer", "Customer"], Texts(page, ".audit-entity-type")));
    }

    [Fact]
    public async Task Choosing_an_action_shows_only_that_action()
    {
        await SeedAsync();
        var popovers = Render<MudPopoverProvider>();
        var page = Render<AuditPage>();
        page.WaitForAssertion(() => Assert.Equal(5, page.FindAll(".audit-summary").Count));

        await ChooseAsync(page, popovers, "#filter-action", "update");

        page.WaitForAssertion(() => Assert.Equal(["update"], Texts(page, ".audit-action")));
        Assert.Contains("'Alpha tools'", Summaries(page)[0]);
    }

    [Fact]
    public async Task A_date_range_keeps_the_whole_last_day_and_drops_other_days()
    {
        await SeedAsync();
        var today = (await Services.GetRequiredService<AuditService>().ListAsync(
            TestDatabase.Administrator, new AuditQuery(), new PageRequest(1, 1), Ct)).Items[0].At.Date;
        var page = Render<AuditPage>();
        page.WaitForAssertion(() => Assert.Equal(5, page.FindAll(".audit-summary").Count));
        var picker = page.FindComponent<MudDateRangePicker>();

        await page.InvokeAsync(() => picker.Instance.DateRangeChanged.InvokeAsync(new DateRange(today.AddDays(-30), today.AddDays(-1))));
        page.WaitForAssertion(() => Assert.Contains("No entries match these filters", page.Find(".audit-empty").TextContent));

        // Everything happened today, after midnight: "to today" must still include it.
        await page.InvokeAsync(() => picker.Instance.DateRangeChanged.InvokeAsync(new DateRange(today, today)));
        page.WaitForAssertion(() => Assert.Equal(5, page.FindAll(".audit-summary").Count));
    }

    [Fact]
    public async Task Filters_that_match_nothing_show_the_empty_state()
    {
        await SeedAsync();
        var page = Render<AuditPage>();
        page.WaitForAssertion(() => Assert.Equal(5, page.FindAll(".audit-summary").Count));

        page.Find("#filter-actor").Input("nobody-by-that-name");

        page.WaitForAssertion(() => Assert.Contains("No entries match these filters", page.Find(".audit-empty").TextContent));
        Assert.Empty(page.FindAll(".audit-summary"));
    }

    [Fact]
    public async Task Pages_through_the_log_and_starts_again_at_page_one_when_a_filter_changes()
    {
        var repositories = Services.GetRequiredService<RepositoryService>();
        for (var i = 1; i <= 56; i++)
        {
            await repositories.CreateAsync(i % 2 == 0 ? Grace : TestDatabase.Administrator, new RepositoryInput { Slug = $"repo-{i:00}", Name = $"Repo {i}" }, Ct);
        }
        var page = Render<AuditPage>();
        page.WaitForAssertion(() => Assert.Equal(25, page.FindAll(".audit-summary").Count));
        Assert.Equal("repo-56", Texts(page, ".audit-entity-id")[0]);

        await page.Find("button[aria-label='Next page']").ClickAsync(new Microsoft.AspNetCore.Components.Web.MouseEventArgs());
        page.WaitForAssertion(() => Assert.Equal("repo-31", Texts(page, ".audit-entity-id")[0]));

        page.Find("#filter-actor").Input("grace");
        // Grace made 28 of them: still two pages, and the first shows her latest.
        page.WaitForAssertion(() => Assert.Equal("repo-56", Texts(page, ".audit-entity-id")[0]));
        Assert.Equal(25, page.FindAll(".audit-summary").Count);
        Assert.All(Texts(page, ".audit-actor"), actor => Assert.Equal("grace@example.com", actor));
    }

    /// <summary>Five changes by two people, in this order: alpha, beta, Acme created; alpha renamed; Acme revoked.</summary>
    private async Task SeedAsync()
    {
        var repositories = Services.GetRequiredService<RepositoryService>();
        var customers = Services.GetRequiredService<CustomerService>();
        await repositories.CreateAsync(TestDatabase.Administrator, new RepositoryInput { Slug = "alpha", Name = "alpha" }, Ct);
        await repositories.CreateAsync(TestDatabase.Administrator, new RepositoryInput { Slug = "beta", Name = "beta" }, Ct);
        var acme = await customers.CreateAsync(Grace, new CustomerInput { Name = "Acme" }, Ct);
        await repositories.UpdateAsync(Grace, "alpha", new RepositoryInput { Slug = "alpha", Name = "Alpha tools" }, Ct);
        await customers.RevokeAsync(TestDatabase.Administrator, acme.Id, Ct);
    }

    private static async Task ChooseAsync(IRenderedComponent<AuditPage> page, IRenderedComponent<MudPopoverProvider> popovers, string select, string item)
    {
        await page.Find(select).MouseDownAsync(new Microsoft.AspNetCore.Components.Web.MouseEventArgs());
        popovers.WaitForAssertion(() => Assert.Contains(popovers.FindAll(".mud-list-item"), i => i.TextContent.Trim() == item));
        await popovers.FindAll(".mud-list-item").First(i => i.TextContent.Trim() == item).ClickAsync(new Microsoft.AspNetCore.Components.Web.MouseEventArgs());
    }

    private static string[] Summaries(IRenderedComponent<AuditPage> page) => Texts(page, ".audit-summary");

    private static string[] Texts(IRenderedComponent<AuditPage> page, string selector) =>
        page.FindAll(selector).Select(e => e.TextContent.Trim()).ToArray();

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC$")]
    private static partial Regex UtcTime();
}
