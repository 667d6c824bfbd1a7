using EntitlementPortal.Tests.Support;
using Microsoft.Playwright;

namespace EntitlementPortal.Tests.Browser;

[Collection(BrowserCollection.Name)]
public sealed class RepositoryAndCustomerJourneyTests(BrowserFixture browser) : IAsyncDisposable
{
    private readonly ApiAppFactory app = new();

    [Fact]
    public async Task Create_a_repository_and_a_customer_in_the_portal_and_find_both_in_lists_and_the_audit_log()
    {
        var page = await browser.NewPageAsync(app);
        await BrowserSession.SignInAsync(page, ApiAppFactory.AdminEmail, ApiAppFactory.AdminPassword);

        await BrowserSession.OpenAsync(page, "/repositories", "Repositories");
        await page.ClickAsync("#new-repository");
        await page.FillAsync("#repository-slug", "acme-agent");
        await page.FillAsync("#repository-name", "Acme agent");
        await page.FillAsync("#repository-description", "Agents for Acme's servers");
        await page.ClickAsync("#save-repository");
        await page.Locator("#repository-table >> text=acme-agent").WaitForAsync();
        await BrowserSession.ScreenshotAsync(page, "repositories");

        await BrowserSession.OpenAsync(page, "/customers", "Customers");
        await page.ClickAsync("#new-customer");
        await page.FillAsync("#customer-name", "Acme Corp");
        await page.FillAsync("#customer-email", "ops@acme.test");
        await page.FillAsync("#customer-external-ref", "cus_1001");
        await page.FillAsync("#customer-metadata", "[1]");
        await page.Locator("text=must be a JSON object").WaitForAsync();
        await page.FillAsync("#customer-metadata", """{ "tier": "gold" }""");
        await page.ClickAsync("#save-customer");
        await page.Locator("#customers-table >> text=Acme Corp").WaitForAsync();
        await BrowserSession.ScreenshotAsync(page, "customers");

        await BrowserSession.OpenAsync(page, "/audit", "Audit");
        var grid = page.Locator("#audit-grid");
        await grid.Locator("text=acme-agent").First.WaitForAsync();
        await grid.Locator("text=Acme Corp").First.WaitForAsync();
        Assert.True(await grid.Locator($"text={ApiAppFactory.AdminEmail}").CountAsync() >= 2);
        await BrowserSession.ScreenshotAsync(page, "audit");
        browser.AssertNoCspViolations(page);
    }

    public ValueTask DisposeAsync() => app.DisposeAsync();
}
