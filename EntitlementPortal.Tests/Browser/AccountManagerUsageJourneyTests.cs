using System.Net;
using System.Net.Http.Json;
using EntitlementPortal.Features.Tokens;
using EntitlementPortal.Identity;
using EntitlementPortal.Tests.Downloads;
using EntitlementPortal.Tests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace EntitlementPortal.Tests.Browser;

/// <summary>
/// An account manager answers a customer's question about downloads: the history of the customer, one token's
/// usage, the export, and nothing on the way lets them change a token.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class AccountManagerUsageJourneyTests(BrowserFixture browser) : IAsyncDisposable
{
    private const string ManagerEmail = "am@example.com";
    private const string ManagerPassword = "Us3r-password!";

    private readonly ApiAppFactory app = new();
    private IPage? page;

    [Fact]
    public async Task An_account_manager_filters_by_customer_opens_a_token_sees_its_usage_exports_and_cannot_change_it()
    {
        var ct = TestContext.Current.CancellationToken;
        using var admin = app.CreateApiClient();
        (await admin.PostAsJsonAsync("/api/v1/repos", new { slug = "acme", name = "Acme" }, ct)).EnsureSuccessStatusCode();
        var customerId = await IdOfAsync(await admin.PostAsJsonAsync("/api/v1/customers", new { name = "Globex" }, ct));
        var otherCustomerId = await IdOfAsync(await admin.PostAsJsonAsync("/api/v1/customers", new { name = "Initech" }, ct));
        var tokenId = await IdOfAsync(await admin.PostAsJsonAsync("/api/v1/repos/acme/entitlements", new { name = "Globex CI", customerId }, ct));
        var otherTokenId = await IdOfAsync(await admin.PostAsJsonAsync("/api/v1/repos/acme/entitlements", new { name = "Initech CI", customerId = otherCustomerId }, ct));
        var now = DateTime.UtcNow;
        await app.WithDbAsync(async db =>
        {
            await HistoryRows.AddAsync(db,
                HistoryRows.Served(now.AddMinutes(-30), tokenId, customerId, bytes: 2_000_000, clientIp: "198.51.100.1"),
                HistoryRows.Served(now.AddMinutes(-20), tokenId, customerId, bytes: 2_000_000, clientIp: "198.51.100.2"),
                HistoryRows.Refused(now.AddMinutes(-10), "download_limit", tokenId, customerId, clientIp: "198.51.100.2"),
                HistoryRows.Served(now.AddMinutes(-5), otherTokenId, otherCustomerId, bytes: 9_000_000, clientIp: "203.0.113.9"));
            return 0;
        });
        var managerKey = await app.CreateUserWithKeyAsync(ManagerEmail, Roles.AccountManager);

        page = await browser.NewPageAsync(app);
        await BrowserSession.SignInAsync(page, ManagerEmail, ManagerPassword);
        await BrowserSession.OpenAsync(page, "/downloads", "Downloads");
        await page.Locator("#downloads-total:has-text('4 attempts')").WaitForAsync();
        // The customer picker: type part of the name, pick the customer.
        await page.ClickAsync("#filter-customer");
        await page.Locator("#filter-customer").PressSequentiallyAsync("Glob");
        // The picker searches 250 ms after the last key: pick from the list of that search, not the one it replaces.
        await Expect(page.Locator(".mud-popover-open .mud-list-item")).ToHaveCountAsync(1);
        await page.Locator(".mud-popover-open .mud-list-item:has-text('Globex')").ClickAsync();
        await page.WaitForURLAsync(url => url.Contains($"customerId={customerId}", StringComparison.Ordinal));
        await page.Locator("#downloads-total:has-text('3 attempts')").WaitForAsync();

        var download = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("#export-csv"));
        var lines = (await File.ReadAllTextAsync(await download.PathAsync(), ct)).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("at,repo,package,version,filename,tokenId,tokenName,customerId,customerName", lines[0], StringComparison.Ordinal);
        Assert.Equal(4, lines.Length);
        Assert.All(lines[1..], line => Assert.Contains($",{tokenId},Globex CI,{customerId},Globex,", line, StringComparison.Ordinal));
        Assert.Contains(",198.51.100.2,curl/8.0,403,0,download_limit", lines[3], StringComparison.Ordinal);

        // From the newest attempt of the customer to its token.
        await page.ClickAsync("tr.download-row");
        await page.ClickAsync("#drawer-token-link");
        await page.WaitForURLAsync($"**/repositories/acme/tokens/{tokenId}");
        await page.Locator("#token-title:has-text('Globex CI')").WaitForAsync();
        await page.Locator("#token-usage #usage-downloads:has-text('2')").WaitForAsync();
        Assert.Equal("2", (await page.InnerTextAsync("#token-usage #usage-clients")).Trim());
        Assert.Equal(ByteSize.Format(4_000_000), (await page.InnerTextAsync("#token-usage #usage-bytes")).Trim());
        Assert.Equal("acme-agent 2.1.0: 2 downloads", (await page.InnerTextAsync("#token-usage .usage-top-package")).Trim());
        Assert.Equal("download_limit", (await page.InnerTextAsync("#token-usage .usage-refused-link")).Trim());
        await page.Locator("#token-usage #usage-downloads-chart").WaitForAsync();
        await BrowserSession.ScreenshotAsync(page, "token-usage");
        foreach (var action in new[] { "#edit-token", "#disable-token", "#enable-token", "#refresh-token", "#reset-token-usage", "#delete-token" })
        {
            Assert.Equal(0, await page.Locator(action).CountAsync());
        }

        // The refusal opens the history of this token, refused for that reason.
        await page.ClickAsync("#token-usage .usage-refused-link");
        await page.WaitForURLAsync(url => url.Contains($"tokenId={tokenId}", StringComparison.Ordinal) && url.Contains("reason=download_limit", StringComparison.Ordinal));
        await page.Locator("#downloads-total:has-text('1 attempt')").WaitForAsync();

        // Hidden buttons are not the guard: the same account's API key is refused, and the token is unchanged.
        using var manager = app.CreateApiClient(managerKey);
        await (await manager.PostAsync($"/api/v1/repos/acme/entitlements/{tokenId}/disable", null, ct)).AssertProblemAsync(403);
        await (await manager.DeleteAsync($"/api/v1/repos/acme/entitlements/{tokenId}", ct)).AssertProblemAsync(403);
        var token = await (await admin.GetAsync($"/api/v1/repos/acme/entitlements/{tokenId}", ct)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.True(token.GetProperty("isActive").GetBoolean());
        Assert.False(token.GetProperty("isDeleted").GetBoolean());
        browser.AssertNoCspViolations(page);
    }

    private static async Task<int> IdOfAsync(HttpResponseMessage response) =>
        (await response.ReadJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetInt32();

    public async ValueTask DisposeAsync()
    {
        if (page is not null)
        {
            await page.Context.CloseAsync();
        }
        await app.DisposeAsync();
    }
}
