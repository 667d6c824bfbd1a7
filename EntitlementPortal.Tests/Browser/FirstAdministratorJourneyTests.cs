using EntitlementPortal.Tests.Support;
using Microsoft.Playwright;

namespace EntitlementPortal.Tests.Browser;

[Collection(BrowserCollection.Name)]
public sealed class FirstAdministratorJourneyTests(BrowserFixture browser) : IAsyncDisposable
{
    private const string Email = "founder@example.com";
    private const string Password = "Br0wser-secret!";
    private readonly KestrelPortalFactory app = new();

    [Fact]
    public async Task Register_the_first_admin_sign_out_sign_in_and_see_the_dashboard()
    {
        var page = await browser.NewPageAsync(app);

        await page.GotoAsync("/");
        await page.ClickAsync("#create-first-admin");
        // Blazor swaps the page in place (enhanced navigation): wait for the new form, not the old one.
        await page.Locator("h1:has-text('Create the first administrator')").WaitForAsync();
        await page.FillAsync("#Input\\.Email", Email);
        await page.FillAsync("#Input\\.Password", Password);
        await page.FillAsync("#Input\\.ConfirmPassword", Password);
        await page.ClickAsync("#register");
        await WaitForDashboardAsync(page);

        await page.ClickAsync("#sign-out");
        await page.WaitForURLAsync("**/Account/Login**");
        await page.Locator("h1:has-text('Sign in')").WaitForAsync();
        Assert.Equal(0, await page.Locator("#create-first-admin").CountAsync());

        await page.FillAsync("#Input\\.Email", Email);
        await page.FillAsync("#Input\\.Password", Password);
        await page.ClickAsync("#sign-in");
        await WaitForDashboardAsync(page);

        Assert.Contains(Email, await page.Locator("#welcome").InnerTextAsync());
        Assert.Equal(1, await page.Locator(".mud-chip:has-text('Administrator')").CountAsync());
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(AppContext.BaseDirectory, "dashboard.png"), FullPage = true });
        browser.AssertNoCspViolations(page);
    }

    private static async Task WaitForDashboardAsync(IPage page)
    {
        try
        {
            await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/");
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"Still at {page.Url}: {await page.InnerTextAsync("body")}");
        }
        await page.Locator("#render-state[data-interactive='true']").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        await page.Locator("h1:has-text('Dashboard')").WaitForAsync();
    }

    public ValueTask DisposeAsync() => app.DisposeAsync();
}
