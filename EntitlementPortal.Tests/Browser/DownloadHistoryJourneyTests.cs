using EntitlementPortal.Tests.Downloads;
using EntitlementPortal.Tests.Support;
using Microsoft.Playwright;

namespace EntitlementPortal.Tests.Browser;

[Collection(BrowserCollection.Name)]
public sealed class DownloadHistoryJourneyTests(BrowserFixture browser) : IAsyncDisposable
{
    private readonly ApiAppFactory app = new();

    [Fact]
    public async Task Filter_the_downloads_from_the_address_bar_open_an_attempt_and_export_the_view()
    {
        var page = await browser.NewPageAsync(app);
        var now = DateTime.UtcNow;
        await app.WithDbAsync(async db =>
        {
            await HistoryRows.AddAsync(db,
                HistoryRows.Served(now.AddHours(-3), bytes: 5000, clientIp: "198.51.100.7"),
                HistoryRows.Refused(now.AddHours(-2), "download_limit", clientIp: "198.51.100.7"),
                HistoryRows.Refused(now.AddHours(-1), "ip_not_allowed", clientIp: "203.0.113.5"));
            return 0;
        });
        await BrowserSession.SignInAsync(page, ApiAppFactory.AdminEmail, ApiAppFactory.AdminPassword);

        await BrowserSession.OpenAsync(page, "/downloads?outcome=refused", "Downloads");
        await page.Locator("#downloads-total:has-text('2 attempts')").WaitForAsync();

        await page.FillAsync("#filter-client-ip", "198.51.100.7");
        await page.WaitForURLAsync(url => url.Contains("clientIp=198.51.100.7", StringComparison.Ordinal) && url.Contains("outcome=refused", StringComparison.Ordinal));
        await page.Locator("#downloads-total:has-text('1 attempt')").WaitForAsync();

        await page.ClickAsync("tr.download-row");
        await page.Locator("#download-drawer-title").WaitForAsync();
        await page.Locator("#download-fields >> text=download_limit").First.WaitForAsync();
        await BrowserSession.ScreenshotAsync(page, "downloads");
        await page.ClickAsync(".mud-overlay");
        await page.Locator("#download-drawer-title").WaitForAsync(new() { State = WaitForSelectorState.Detached });

        var download = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("#export-csv"));
        var csv = await File.ReadAllTextAsync(await download.PathAsync(), TestContext.Current.CancellationToken);
        var lines = csv.Split("\r\n");
        Assert.StartsWith("at,repo,package,version,filename,tokenId", lines[0], StringComparison.Ordinal);
        Assert.Equal(3, lines.Length);
        Assert.Contains(",198.51.100.7,curl/8.0,403,0,download_limit", lines[1], StringComparison.Ordinal);
        browser.AssertNoCspViolations(page);
    }

    public ValueTask DisposeAsync() => app.DisposeAsync();
}
