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
        // The page fetched the stream itself (its progress panel says what it saved) and kept the server's file name.
        Assert.Matches(@"^downloads-\d{8}-\d{6}\.csv$", download.SuggestedFilename);
        await page.Locator($"#export-progress-text:has-text('Saved {download.SuggestedFilename}: 1 row,')").WaitForAsync();
        Assert.False(await page.Locator("#export-cancel").IsVisibleAsync());
        browser.AssertNoCspViolations(page);
    }

    [Fact]
    public async Task An_export_the_portal_refuses_shows_its_message_and_a_slow_one_can_be_cancelled()
    {
        var page = await browser.NewPageAsync(app);
        await app.WithDbAsync(async db =>
        {
            await HistoryRows.AddAsync(db, HistoryRows.Served(DateTime.UtcNow.AddHours(-1)), HistoryRows.Served(DateTime.UtcNow.AddMinutes(-5)));
            return 0;
        });
        await BrowserSession.SignInAsync(page, ApiAppFactory.AdminEmail, ApiAppFactory.AdminPassword);

        // A customer id that names nothing: the filter bar says so, and the export's 400 reads as the portal's words.
        await BrowserSession.OpenAsync(page, "/downloads?customerId=999", "Downloads");
        await page.Locator("#download-filters >> text=There is no customer 999.").WaitForAsync();
        await page.ClickAsync("#export-csv");
        await page.Locator("#export-problem-text:has-text('There is no customer 999.')").WaitForAsync();
        Assert.Contains("(400)", await page.InnerTextAsync("#export-problem-text"));
        Assert.False(await page.Locator("#export-progress").IsVisibleAsync());

        // The server is held before it answers (the test releases it), so the export is still running when Cancel is pressed.
        var requested = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var answered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await page.RouteAsync("**/downloads/export.csv**", async route =>
        {
            requested.SetResult();
            await release.Task;
            await route.ContinueAsync();
            answered.SetResult();
        });
        var downloads = 0;
        page.Download += (_, _) => downloads++;
        await BrowserSession.OpenAsync(page, "/downloads", "Downloads");
        await page.Locator("#downloads-total:has-text('2 attempts')").WaitForAsync();
        await page.ClickAsync("#export-csv");
        await requested.Task;
        await page.Locator("#export-progress-text:has-text('Waiting for the portal')").WaitForAsync();
        Assert.False(await page.Locator("#export-problem").IsVisibleAsync());

        await page.ClickAsync("#export-cancel");

        await page.Locator("#export-progress-text:has-text('Export cancelled; nothing was saved.')").WaitForAsync();
        Assert.False(await page.Locator("#export-cancel").IsVisibleAsync());
        release.SetResult();
        await answered.Task;
        await page.UnrouteAllAsync();

        // The next export runs to the end: the row count is known, so the bar fills against it.
        var download = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("#export-csv"));
        var csv = await File.ReadAllTextAsync(await download.PathAsync(), TestContext.Current.CancellationToken);
        Assert.Equal(4, csv.Split("\r\n").Length);
        await page.Locator("#export-progress-text:has-text('2 rows,')").WaitForAsync();
        Assert.Equal(1, downloads);
        Assert.Equal("2", await page.GetAttributeAsync("#export-csv", "data-rows"));
        browser.AssertNoCspViolations(page);
    }

    public ValueTask DisposeAsync() => app.DisposeAsync();
}
