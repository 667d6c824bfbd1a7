using EntitlementPortal.Tests.Support;
using Microsoft.Playwright;

namespace EntitlementPortal.Tests.Browser;

/// <summary>The user name in the header opens the account menu, and each of its items does what it says.</summary>
[Collection(BrowserCollection.Name)]
public sealed class AccountMenuJourneyTests(BrowserFixture browser) : IAsyncDisposable
{
    private readonly ApiAppFactory app = new();
    private IPage? page;

    [Fact]
    public async Task Clicking_the_user_name_opens_account_settings_api_keys_my_tokens_and_sign_out()
    {
        page = await browser.NewPageAsync(app);
        await BrowserSession.SignInAsync(page, ApiAppFactory.AdminEmail, ApiAppFactory.AdminPassword);

        await page.ClickAsync("#account-menu-button");

        foreach (var item in new[] { "#menu-account-settings", "#menu-api-keys", "#menu-my-tokens", "#menu-sign-out" })
        {
            await page.Locator(item).WaitForAsync();
        }
        await page.ClickAsync("#menu-my-tokens");
        await page.Locator("h1:has-text('My tokens')").WaitForAsync();

        await page.ClickAsync("#account-menu-button");
        await page.ClickAsync("#menu-account-settings");
        await page.WaitForURLAsync("**/Account/Manage**");
        // The item loads the page in full; the address can change before that load has finished, and navigating on
        // meanwhile would be cut short by it. The account page's own title says it has arrived.
        await page.WaitForFunctionAsync("() => document.title.startsWith('Profile') && document.readyState === 'complete'");

        await BrowserSession.OpenAsync(page, "/api-keys", "API keys");
        await page.ClickAsync("#account-menu-button");
        await page.ClickAsync("#menu-sign-out");
        await page.WaitForURLAsync("**/Account/Login**");
        browser.AssertNoCspViolations(page);
    }

    public async ValueTask DisposeAsync()
    {
        if (page is not null)
        {
            await page.Context.CloseAsync();
        }
        await app.DisposeAsync();
    }
}
