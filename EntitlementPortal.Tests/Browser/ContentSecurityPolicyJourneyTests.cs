using System.Net.Http.Json;
using EntitlementPortal.Tests.Support;
using Microsoft.Playwright;

namespace EntitlementPortal.Tests.Browser;

/// <summary>
/// The portal and the API reference under their real Content-Security-Policy in Chromium: everything they need
/// still runs (circuit, MudBlazor popovers and dialogs, Scalar's bundle) and the browser reports no violation.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ContentSecurityPolicyJourneyTests(BrowserFixture browser) : IAsyncDisposable
{
    private readonly ApiAppFactory app = new();

    [Fact]
    public async Task Portal_pages_work_under_the_csp_without_a_single_violation()
    {
        var ct = TestContext.Current.CancellationToken;
        (await app.CreateApiClient().PostAsJsonAsync("/api/v1/repos", new { slug = "acme", name = "Acme" }, ct)).EnsureSuccessStatusCode();
        var page = await browser.NewPageAsync(app);

        await BrowserSession.SignInAsync(page, ApiAppFactory.AdminEmail, ApiAppFactory.AdminPassword);
        await page.Locator("h1:has-text('Dashboard')").WaitForAsync();

        await BrowserSession.OpenAsync(page, "/repositories", "Repositories");
        await page.ClickAsync("#new-repository");
        await page.Locator(".mud-dialog #repository-slug").WaitForAsync();
        await page.Keyboard.PressAsync("Escape");

        await BrowserSession.OpenAsync(page, "/packages?repo=acme", "Packages");
        await page.ClickAsync("#upload-package");
        // A MudSelect opens a popover: MudBlazor's script and its inline positioning styles at work.
        await page.ClickAsync(".mud-dialog .mud-select");
        await page.Locator(".mud-popover-open >> text=acme").First.WaitForAsync();
        await page.Keyboard.PressAsync("Escape");

        await BrowserSession.OpenAsync(page, "/customers", "Customers");
        await BrowserSession.OpenAsync(page, "/tokens", "Tokens");
        await BrowserSession.OpenAsync(page, "/audit", "Audit log");
        await BrowserSession.OpenAsync(page, "/api-keys", "API keys");
        await page.GotoAsync("/no-such-page");
        await page.Locator("h1:has-text('Not found')").WaitForAsync();
        await page.GotoAsync("/Account/Manage");
        await page.Locator("h1, h2, h3").First.WaitForAsync();

        browser.AssertNoCspViolations(page);
    }

    [Fact]
    public async Task Api_reference_renders_under_its_own_csp_without_a_single_violation()
    {
        var page = await browser.NewPageAsync(app);

        var response = await page.GotoAsync("/api-reference/");

        Assert.NotNull(response);
        Assert.Contains("'nonce-", (await response.AllHeadersAsync())["content-security-policy"]);
        // Scalar has rendered the document's operations (its bundle and start-up script ran), and its client sends a
        // request to the API on this origin.
        await page.Locator("text=List repositories").First.ClickAsync();
        await page.Locator("button:has-text('Test Request')").First.ClickAsync();
        await page.Locator("button:has-text('Send')").First.ClickAsync();
        await page.Locator("text=401 Unauthorized").First.WaitForAsync();
        // The one report allowed: the bundled Zod probes for eval with try { Function('') } and, refused, runs without
        // its JIT. The policy keeps eval off rather than loosen script-src for a probe.
        browser.AssertNoCspViolations(page, expected: v => v.StartsWith("script-src blocked eval", StringComparison.Ordinal)
            && v.Contains("/api-reference/scalar.js", StringComparison.Ordinal));
    }

    public ValueTask DisposeAsync() => app.DisposeAsync();
}
