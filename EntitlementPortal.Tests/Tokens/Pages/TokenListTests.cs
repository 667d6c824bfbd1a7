using Bunit;
using EntitlementPortal.Features.Tokens;
using EntitlementPortal.Identity;
using EntitlementPortal.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace EntitlementPortal.Tests.Tokens.Pages;

public sealed class TokenListTests : TokenPageTest
{
    private IRenderedComponent<TokenList> RenderList(string? repo = "acme", int? customerId = null) =>
        Render<TokenList>(p => p.Add(l => l.Repo, repo).Add(l => l.CustomerId, customerId));

    private static void ClickFilter(IRenderedComponent<TokenList> list, string label) =>
        list.FindAll("#token-status-filter .mud-toggle-item").Single(i => i.TextContent.Trim() == label).Click();

    [Fact]
    public void An_empty_repository_says_so_and_offers_to_create_one()
    {
        SignIn("ada@example.com", Roles.Administrator);

        var list = RenderList();

        list.WaitForAssertion(() => Assert.Equal("No tokens yet.", Text(list, "#tokens-empty")));
        Assert.Equal("0 active tokens, 0 disabled", Text(list, "#token-count"));
        // Without a plan limit the portal-wide count says nothing about this repository.
        Assert.Empty(list.FindAll("#token-allowance"));
        Assert.Equal("New token", Text(list, "#new-token"));
        Assert.Equal("Create a token", Text(list, "#create-first-token"));
        Assert.Single(list.FindAll("#sync-tokens"));
    }

    [Fact]
    public async Task Lists_each_token_with_customer_status_restrictions_usage_and_last_download()
    {
        await SeedAsync("Acme CI", customerId: CustomerId, restrict: t =>
        {
            t.LimitDownloads = 100;
            t.AllowedCidrs = ["203.0.113.0/24"];
        });
        await SeedAsync("Spare", active: false);
        await SeedAsync("Elsewhere", repo: "globex");
        SignIn("ada@example.com", Roles.Administrator);

        var list = RenderList();

        list.WaitForAssertion(() => Assert.Equal(["Acme CI", "Spare"], Names(list)));
        var first = list.FindAll("#token-table tbody tr")[0];
        Assert.Equal("Acme Corp", first.QuerySelector(".token-customer")!.TextContent.Trim());
        Assert.Equal("Active", first.QuerySelector(".token-status")!.TextContent.Trim());
        Assert.Equal("at most 100 downloads; from 203.0.113.0/24", first.QuerySelector(".token-restrictions")!.TextContent.Trim());
        Assert.Equal("0 downloads · 0 clients · 0 B", first.QuerySelector(".token-usage")!.TextContent.Trim());
        Assert.Equal("Never", first.QuerySelector(".token-last-download")!.TextContent.Trim());
        Assert.Equal("Disabled", list.FindAll("#token-table tbody tr")[1].QuerySelector(".token-status")!.TextContent.Trim());
        Assert.Empty(list.FindAll(".token-repository"));
        Assert.Equal("1 active token, 1 disabled", Text(list, "#token-count"));
        var stored = (await StoredAsync())[0];
        Assert.Equal($"repositories/acme/tokens/{stored.Id}", list.Find("a.token-link").GetAttribute("href"));
    }

    [Fact]
    public async Task Search_and_the_status_filter_narrow_the_list()
    {
        await SeedAsync("Acme CI", customerId: CustomerId);
        await SeedAsync("Build farm");
        await SeedAsync("Old laptop", active: false);
        SignIn("ada@example.com", Roles.Administrator);
        var list = RenderList();
        list.WaitForAssertion(() => Assert.Equal(3, Names(list).Length));

        list.Find("#token-search").Input("acme corp");
        list.WaitForAssertion(() => Assert.Equal(["Acme CI"], Names(list)), TimeSpan.FromSeconds(5));
        list.Find("#token-search").Input("");
        list.WaitForAssertion(() => Assert.Equal(3, Names(list).Length), TimeSpan.FromSeconds(5));

        ClickFilter(list, "Disabled");
        list.WaitForAssertion(() => Assert.Equal(["Old laptop"], Names(list)));
        ClickFilter(list, "Active");
        list.WaitForAssertion(() => Assert.Equal(["Acme CI", "Build farm"], Names(list)));

        list.Find("#token-search").Input("nothing like it");
        list.WaitForAssertion(() => Assert.Equal("No tokens match this search or filter.", Text(list, "#tokens-empty")), TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Sorting_by_customer_asks_the_database_for_that_order()
    {
        var zeta = await Services.GetRequiredService<EntitlementPortal.Features.Customers.CustomerService>().CreateAsync(
            TestDatabase.Administrator, new EntitlementPortal.Features.Customers.CustomerInput { Name = "Zeta Inc" }, Ct);
        await SeedAsync("A for Zeta", customerId: zeta.Id);
        await SeedAsync("B for Acme", customerId: CustomerId);
        SignIn("ada@example.com", Roles.Administrator);
        var list = RenderList();
        list.WaitForAssertion(() => Assert.Equal(["A for Zeta", "B for Acme"], Names(list)));

        list.FindAll("#token-table th .mud-table-sort-label").Single(l => l.TextContent.Contains("Customer")).Click();

        list.WaitForAssertion(() => Assert.Equal(["B for Acme", "A for Zeta"], Names(list)));
    }

    [Fact]
    public async Task Sorting_by_downloads_and_last_download_shows_the_usage()
    {
        var busy = await SeedAsync("Busy");
        var quiet = await SeedAsync("Quiet");
        await RecordUsageAsync(busy.Id, 1200, 3, 2_500_000_000, new DateTime(2026, 3, 1, 9, 15, 0, DateTimeKind.Utc), "203.0.113.9");
        await RecordUsageAsync(quiet.Id, 1, 1, 1_000, new DateTime(2026, 3, 2, 10, 0, 0, DateTimeKind.Utc), "203.0.113.10");
        SignIn("ada@example.com", Roles.Administrator);
        var list = RenderList();
        list.WaitForAssertion(() => Assert.Equal(["Busy", "Quiet"], Names(list)));
        Assert.Equal("1,200 downloads · 3 clients · 2.5 GB", list.FindAll(".token-usage")[0].TextContent.Trim());
        Assert.Equal("2026-03-01 09:15 UTC", list.FindAll(".token-last-download")[0].TextContent.Trim());

        list.FindAll("#token-table th .mud-table-sort-label").Single(l => l.TextContent.Contains("Usage")).Click();
        list.WaitForAssertion(() => Assert.Equal(["Quiet", "Busy"], Names(list)));
        list.FindAll("#token-table th .mud-table-sort-label").Single(l => l.TextContent.Contains("Usage")).Click();
        list.WaitForAssertion(() => Assert.Equal(["Busy", "Quiet"], Names(list)));

        list.FindAll("#token-table th .mud-table-sort-label").Single(l => l.TextContent.Contains("Last download")).Click();
        list.WaitForAssertion(() => Assert.Equal(["Busy", "Quiet"], Names(list)));
        list.FindAll("#token-table th .mud-table-sort-label").Single(l => l.TextContent.Contains("Last download")).Click();
        list.WaitForAssertion(() => Assert.Equal(["Quiet", "Busy"], Names(list)));
    }

    [Fact]
    public async Task Deleted_tokens_show_only_when_asked_for()
    {
        var gone = await SeedAsync("Gone");
        await SeedAsync("Kept");
        await TokenLifecycle.DeleteAsync(TestDatabase.Administrator, "acme", gone.Id, Ct);
        SignIn("ada@example.com", Roles.Administrator);
        var list = RenderList();
        list.WaitForAssertion(() => Assert.Equal(["Kept"], Names(list)));

        list.Find("#token-show-deleted").Change(true);

        list.WaitForAssertion(() => Assert.Equal(["Gone", "Kept"], Names(list)));
        Assert.Equal("Deleted", list.FindAll("#token-table tbody tr")[0].QuerySelector(".token-status")!.TextContent.Trim());
    }

    [Fact]
    public async Task An_account_manager_sees_the_tokens_but_cannot_create_or_sync()
    {
        await SeedAsync("Acme CI");
        SignIn("am@example.com", Roles.AccountManager);

        var list = RenderList();

        list.WaitForAssertion(() => Assert.Equal(["Acme CI"], Names(list)));
        Assert.Empty(list.FindAll("#new-token"));
        Assert.Empty(list.FindAll("#sync-tokens"));
        Assert.Empty(list.FindAll("#create-first-token"));
    }

    [Fact]
    public async Task The_tokens_page_lists_every_repository_with_its_repository_and_a_new_button()
    {
        await SeedAsync("Acme CI");
        await SeedAsync("Globex CI", repo: "globex");
        SignIn("ada@example.com", Roles.TokenManager);

        var page = Render<TokensPage>();

        page.WaitForAssertion(() => Assert.Equal(["Acme CI", "Globex CI"], Names(page)));
        Assert.Equal("Tokens", Text(page, "h1"));
        Assert.Equal(["acme", "globex"], page.FindAll(".token-repository").Select(a => a.TextContent.Trim()).ToArray());
        Assert.Equal("2 active tokens (no plan limit)", Text(page, "#token-allowance"));
        Assert.Empty(page.FindAll("#token-count"));
        Assert.Equal("New token", Text(page, "#new-token"));
        Assert.Empty(page.FindAll("#sync-tokens"));
        Assert.Equal("customers", page.Find("#tokens-customers-link").GetAttribute("href"));
        Assert.Equal("repositories", page.Find("#tokens-repositories-link").GetAttribute("href"));
    }

    [Fact]
    public async Task The_tokens_page_has_no_new_button_for_someone_who_cannot_create_tokens()
    {
        await SeedAsync("Acme CI");
        SignIn("am@example.com", Roles.AccountManager);

        var page = Render<TokensPage>();

        page.WaitForAssertion(() => Assert.Equal(["Acme CI"], Names(page)));
        Assert.Empty(page.FindAll("#new-token"));
    }

    [Fact]
    public async Task A_revoked_customers_token_reads_customer_revoked_in_the_list()
    {
        var revoked = await SeedAsync("Acme CI", customerId: CustomerId);
        await SeedAsync("Spare", active: false);
        await Services.GetRequiredService<EntitlementPortal.Features.Customers.CustomerService>()
            .RevokeAsync(TestDatabase.Administrator, CustomerId, Ct);
        SignIn("ada@example.com", Roles.Administrator);

        var list = RenderList();

        list.WaitForAssertion(() => Assert.Equal(["Acme CI", "Spare"], Names(list)));
        var rows = list.FindAll("#token-table tbody tr");
        Assert.Equal("Customer revoked", rows[0].QuerySelector(".token-status")!.TextContent.Trim());
        Assert.Equal("Refused until the customer is reinstated", rows[0].QuerySelector(".token-status")!.GetAttribute("title"));
        Assert.Equal("Disabled", rows[1].QuerySelector(".token-status")!.TextContent.Trim());
        Assert.False((await TokenQueries.GetAsync(TestDatabase.Administrator, "acme", revoked.Id, Ct)).IsActive);
    }

    [Fact]
    public async Task A_customers_own_list_leaves_out_the_customer_column_it_would_repeat_on_every_row()
    {
        await SeedAsync("Acme CI", customerId: CustomerId);
        SignIn("ada@example.com", Roles.Administrator);

        var list = RenderList(repo: null, customerId: CustomerId);

        list.WaitForAssertion(() => Assert.Equal(["Acme CI"], Names(list)));
        Assert.Empty(list.FindAll(".token-customer"));
        Assert.DoesNotContain("Customer", list.FindAll("#token-table thead th").Select(th => th.TextContent.Trim()));
        Assert.Single(list.FindAll(".token-repository"));
    }
}

public sealed class TokenListAllowanceTests() : TokenPageTest(maxActiveTokens: 3)
{
    [Fact]
    public async Task The_allowance_line_counts_active_tokens_against_the_plan()
    {
        await SeedAsync("One");
        await SeedAsync("Two", repo: "globex");
        await SeedAsync("Off", active: false);
        SignIn("ada@example.com", Roles.Administrator);

        var list = Render<TokenList>(p => p.Add(l => l.Repo, "acme"));

        // The repository's own tokens, and the plan's count named as the whole portal's.
        list.WaitForAssertion(() => Assert.Equal("1 active token, 1 disabled", Text(list, "#token-count")));
        Assert.Equal("Plan: 2 of 3 active tokens across the portal", Text(list, "#token-allowance"));
    }

    [Fact]
    public async Task The_tokens_page_shows_the_plan_allowance_as_it_is()
    {
        await SeedAsync("One");
        await SeedAsync("Two", repo: "globex");
        SignIn("ada@example.com", Roles.Administrator);

        var page = Render<TokensPage>();

        page.WaitForAssertion(() => Assert.Equal("2 of 3 active tokens", Text(page, "#token-allowance")));
    }
}
