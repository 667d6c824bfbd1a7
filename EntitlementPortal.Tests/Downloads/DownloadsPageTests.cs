using Bunit;
using EntitlementPortal.Features.Downloads;
using EntitlementPortal.Identity;
using EntitlementPortal.Tests.Support;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace EntitlementPortal.Tests.Downloads;

public sealed class DownloadsPageTests : PortalComponentTest
{
    private static readonly DateTime Now = DateTime.UtcNow;

    public DownloadsPageTests() : base(withDatabase: true)
    {
        SignIn("ada@example.com", Roles.AccountManager);
    }

    private NavigationManager Navigation => Services.GetRequiredService<NavigationManager>();

    private async Task SeedAsync()
    {
        await using var db = Database.OpenContext();
        await HistoryRows.AddAsync(db,
            HistoryRows.Served(Now.AddDays(-10), repo: "acme", bytes: 10),
            HistoryRows.Served(Now.AddHours(-3), repo: "acme", bytes: 5000, clientIp: "198.51.100.7"),
            HistoryRows.Refused(Now.AddHours(-2), "download_limit", repo: "acme"),
            HistoryRows.Served(Now.AddHours(-1), repo: "beta", package: "beta-tool", version: "1.0", bytes: 300));
    }

    private static string[] Texts(IRenderedComponent<DownloadsPage> page, string selector) =>
        page.FindAll(selector).Select(e => e.TextContent.Trim()).ToArray();

    [Fact]
    public void Says_when_nothing_has_been_downloaded()
    {
        var page = Render<DownloadsPage>();

        page.WaitForAssertion(() => Assert.Contains("No download attempts match these filters", page.Find(".downloads-empty").TextContent));
        Assert.Empty(page.FindAll(".download-at"));
        Assert.Empty(page.FindAll("#downloads-problem"));
    }

    [Fact]
    public async Task Shows_every_attempt_newest_first_with_outcome_and_reason()
    {
        await SeedAsync();

        var page = Render<DownloadsPage>();

        page.WaitForAssertion(() => Assert.Equal(4, page.FindAll(".download-at").Count));
        Assert.Equal(["beta", "acme", "acme", "acme"], Texts(page, ".download-repo"));
        Assert.Equal(["200", "403 download_limit", "200", "200"], Texts(page, ".download-outcome"));
        Assert.Equal("beta-tool 1.0", Texts(page, ".download-package")[0]);
        Assert.Contains("4 attempts", page.Find("#downloads-total").TextContent);
        Assert.Equal("(4 rows)", page.Find("#export-rows").TextContent.Trim());
    }

    [Fact]
    public async Task Shows_the_problem_when_the_history_cannot_be_read()
    {
        await SeedAsync();
        SignIn("dev@example.com");

        var page = Render<DownloadsPage>();

        page.WaitForAssertion(() => Assert.Contains("See the download history needs", page.Find("#downloads-problem").TextContent));
        Assert.Empty(page.FindAll(".download-at"));
    }

    [Fact]
    public async Task Filters_page_and_sort_are_read_from_the_address()
    {
        await SeedAsync();
        Navigation.NavigateTo("downloads?repo=acme&outcome=served&range=7d&sort=bytes&desc=true");

        var page = Render<DownloadsPage>();

        page.WaitForAssertion(() => Assert.Single(page.FindAll(".download-at")));
        Assert.Equal(["acme"], Texts(page, ".download-repo"));
        Assert.Equal("acme", page.Find("#filter-repo").GetAttribute("value"));
        // The export link carries the same filters, the preset turned into times.
        var export = page.Find("#export-csv").GetAttribute("href")!;
        Assert.StartsWith("downloads/export.csv?repo=acme&outcome=served&from=", export, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Changing_a_filter_puts_it_in_the_address_and_narrows_the_rows()
    {
        await SeedAsync();
        var page = Render<DownloadsPage>();
        page.WaitForAssertion(() => Assert.Equal(4, page.FindAll(".download-at").Count));

        page.Find("#filter-client-ip").Input("198.51.100.7");

        page.WaitForAssertion(() => Assert.Equal(["acme"], Texts(page, ".download-repo")));
        Assert.EndsWith("downloads?clientIp=198.51.100.7", Navigation.Uri, StringComparison.Ordinal);
        Assert.Contains("clientIp=198.51.100.7", page.Find("#export-csv").GetAttribute("href"));
    }

    [Fact]
    public async Task Sorting_by_a_column_is_kept_in_the_address()
    {
        await SeedAsync();
        var page = Render<DownloadsPage>();
        page.WaitForAssertion(() => Assert.Equal(4, page.FindAll(".download-at").Count));

        await page.Find(".sort-bytes").ClickAsync(new Microsoft.AspNetCore.Components.Web.MouseEventArgs());

        page.WaitForAssertion(() => Assert.Equal(new long[] { 5000, 300, 10, 0 }.Select(DownloadDisplay.Bytes), Texts(page, ".download-bytes")));
        Assert.Contains("sort=bytes&desc=true", Navigation.Uri, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_row_opens_the_drawer_with_every_field()
    {
        await SeedAsync();
        var page = Render<DownloadsPage>();
        page.WaitForAssertion(() => Assert.Equal(4, page.FindAll(".download-at").Count));

        await page.FindAll("tr.download-row")[1].ClickAsync(new Microsoft.AspNetCore.Components.Web.MouseEventArgs());

        page.WaitForAssertion(() => Assert.Contains("Attempt #", page.Find("#download-drawer-title").TextContent));
        var values = Texts(page, "#download-fields .drawer-value");
        Assert.Contains("Refused (403)", values);
        Assert.Contains("download_limit", values);
        Assert.Contains("curl/8.0", values);
        Assert.Contains("every attempt from 198.51.100.9", page.Find("#drawer-ip-link").TextContent, StringComparison.OrdinalIgnoreCase);
    }
}
