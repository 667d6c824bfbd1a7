using Bunit;
using EntitlementPortal.Features.Downloads;
using EntitlementPortal.Identity;
using EntitlementPortal.Tests.Support;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace EntitlementPortal.Tests.Downloads;

/// <summary>The customer, token and user pickers of the Downloads page, over the real services and a real SQLite file.</summary>
public sealed class DownloadFilterPickerTests : PortalComponentTest
{
    private readonly IRenderedComponent<MudPopoverProvider> popovers;

    public DownloadFilterPickerTests() : base(withDatabase: true)
    {
        SignIn("ada@example.com", Roles.AccountManager);
        popovers = Render<MudPopoverProvider>();
    }

    private NavigationManager Navigation => Services.GetRequiredService<NavigationManager>();

    private async Task<FilterChoiceIds> SeedAsync()
    {
        await using var db = Database.OpenContext();
        var ids = await FilterChoiceRows.AddAsync(db);
        var now = DateTime.UtcNow;
        var adas = HistoryRows.Served(now.AddHours(-1), tokenId: ids.AdasUserToken, repo: "acme");
        adas.UserId = ids.Ada;
        await HistoryRows.AddAsync(db,
            HistoryRows.Served(now.AddHours(-3), tokenId: ids.AcmeCi, customerId: ids.Acme, repo: "acme"),
            HistoryRows.Served(now.AddHours(-2), tokenId: ids.BetaCi, customerId: ids.Beta, repo: "beta"),
            adas);
        return ids;
    }

    private static string? Value(IRenderedComponent<DownloadsPage> page, string id) => page.Find(id).GetAttribute("value");

    private static string FieldText(IRenderedComponent<DownloadsPage> page, string id) =>
        page.Find(id).Closest(".mud-input-control")!.TextContent;

    [Fact]
    public async Task Ids_in_the_address_show_the_names_behind_them()
    {
        var ids = await SeedAsync();
        Navigation.NavigateTo($"downloads?customerId={ids.Acme}&tokenId={ids.AcmeCi}");

        var page = Render<DownloadsPage>();

        page.WaitForAssertion(() => Assert.Equal("Acme Ltd", Value(page, "#filter-customer")));
        page.WaitForAssertion(() => Assert.Equal("Acme CI · acme · Acme Ltd", Value(page, "#filter-token")));
        Assert.Single(page.FindAll(".download-at"));
        Assert.Empty(page.FindAll("#downloads-problem"));
    }

    [Fact]
    public async Task An_id_that_names_nothing_is_explained_beside_its_filter_and_matches_no_rows()
    {
        await SeedAsync();
        Navigation.NavigateTo("downloads?customerId=999");

        var page = Render<DownloadsPage>();

        page.WaitForAssertion(() => Assert.Contains("There is no customer 999. No rows match while this filter is set.", FieldText(page, "#filter-customer")));
        Assert.Equal("Customer 999", Value(page, "#filter-customer"));
        Assert.Contains("No download attempts match these filters", page.Find(".downloads-empty").TextContent);
        Assert.Empty(page.FindAll("#downloads-problem"));
        // The filter is kept, so the export says the same.
        Assert.Contains("customerId=999", page.Find("#export-csv").GetAttribute("href"));
    }

    [Fact]
    public async Task Picking_a_customer_puts_its_id_in_the_address_and_clearing_it_removes_the_filter()
    {
        var ids = await SeedAsync();
        var page = Render<DownloadsPage>();
        page.WaitForAssertion(() => Assert.Equal(3, page.FindAll(".download-at").Count));

        page.Find("#filter-customer").Input("beta");
        popovers.WaitForAssertion(() => Assert.Contains(popovers.FindAll(".mud-list-item"), i => i.TextContent.Trim() == "Beta GmbH"));
        popovers.FindAll(".mud-list-item").First(i => i.TextContent.Trim() == "Beta GmbH").Click();

        page.WaitForAssertion(() => Assert.EndsWith($"downloads?customerId={ids.Beta}", Navigation.Uri, StringComparison.Ordinal));
        page.WaitForAssertion(() => Assert.Equal(["beta"], page.FindAll(".download-repo").Select(r => r.TextContent.Trim())));

        page.Find("#filter-customer").Closest(".mud-input-control")!.QuerySelector(".mud-input-clear-button")!.Click();

        page.WaitForAssertion(() => Assert.EndsWith("downloads", Navigation.Uri, StringComparison.Ordinal));
        page.WaitForAssertion(() => Assert.Equal(3, page.FindAll(".download-at").Count));
    }

    [Fact]
    public async Task Administrators_pick_people_by_name_others_filter_by_the_user_id()
    {
        var ids = await SeedAsync();
        Navigation.NavigateTo($"downloads?userId={ids.Ada}");
        SignIn("root@example.com", Roles.Administrator);

        var page = Render<DownloadsPage>();

        page.WaitForAssertion(() => Assert.Equal("Ada Lovelace <ada@example.com>", Value(page, "#filter-user")));
        Assert.Single(page.FindAll(".download-at"));

        SignIn("ada@example.com", Roles.AccountManager);
        var managers = Render<DownloadsPage>();
        managers.WaitForAssertion(() => Assert.Equal(ids.Ada, Value(managers, "#filter-user")));
        Assert.Contains("User id", FieldText(managers, "#filter-user"));
    }

    [Fact]
    public void An_unknown_user_id_is_explained_beside_the_user_filter()
    {
        Navigation.NavigateTo("downloads?userId=nobody");

        var page = Render<DownloadsPage>();

        page.WaitForAssertion(() => Assert.Contains("There is no user nobody.", FieldText(page, "#filter-user")));
        Assert.Empty(page.FindAll("#downloads-problem"));
    }

    [Fact]
    public async Task Absurd_page_sizes_and_malformed_days_are_ignored_and_an_inverted_range_is_explained()
    {
        await SeedAsync();
        Navigation.NavigateTo("downloads?pageSize=100000&page=-3&range=custom&from=2026-13-45&to=soon");

        var page = Render<DownloadsPage>();

        page.WaitForAssertion(() => Assert.Equal(3, page.FindAll(".download-at").Count));
        Assert.Empty(page.FindAll("#downloads-problem"));

        Navigation.NavigateTo("downloads?range=custom&from=2026-12-01&to=2026-11-01");
        page.WaitForAssertion(() => Assert.Contains("to must not be before from.", page.Find("#downloads-problem").TextContent));
        Assert.Empty(page.FindAll(".download-at"));
    }
}
