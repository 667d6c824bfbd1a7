using EntitlementPortal.Components.Layout;
using EntitlementPortal.Tests.Support;
using Microsoft.Playwright;

namespace EntitlementPortal.Tests.Browser;

/// <summary>
/// The theme switch in the header: dark chosen on an interactive page holds on the static account pages, and light
/// chosen there holds back on the interactive ones; each page is painted in the chosen theme.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ThemeJourneyTests(BrowserFixture browser) : IAsyncDisposable
{
    private readonly ApiAppFactory app = new();
    private IPage? page;

    [Fact]
    public async Task Dark_chosen_on_the_dashboard_holds_on_account_settings_and_light_chosen_there_holds_back_in_the_portal()
    {
        page = await browser.NewPageAsync(app);
        await BrowserSession.SignInAsync(page, ApiAppFactory.AdminEmail, ApiAppFactory.AdminPassword);
        await AssertThemeAsync("light", "the dashboard before any choice");

        // The page recolours at once; the choice is stored by the server's answer to the switch's request.
        await page.RunAndWaitForResponseAsync(() => page.ClickAsync("button#theme-toggle"), response => response.Url.Contains("/theme/dark", StringComparison.Ordinal));
        await AssertThemeAsync("dark", "the dashboard after switching");

        // Loaded again, the page comes from the server in dark and stays dark once its circuit takes over.
        await page.ReloadAsync();
        await BrowserSession.WaitForInteractiveAsync(page);
        await AssertThemeAsync("dark", "the dashboard loaded again");

        await page.ClickAsync("#account-menu-button");
        await page.ClickAsync("#menu-account-settings");
        await page.WaitForURLAsync("**/Account/Manage**");
        await page.WaitForFunctionAsync("() => document.title.startsWith('Profile') && document.readyState === 'complete'");
        await AssertThemeAsync("dark", "account settings");

        // The static page has no circuit: its switch is a link that loads the page again in the other theme.
        await page.ClickAsync("a#theme-toggle");
        await page.WaitForURLAsync("**/Account/Manage");
        await page.WaitForFunctionAsync("() => document.querySelector('#theme-toggle[aria-label=\"Switch to dark mode\"]') && document.readyState === 'complete'");
        await AssertThemeAsync("light", "account settings after switching");

        await BrowserSession.OpenAsync(page, "/customers", "Customers");
        await AssertThemeAsync("light", "the customers page");
        browser.AssertNoCspViolations(page);
    }

    /// <summary>The page background is the palette's, and the switch offers the other theme.</summary>
    private async Task AssertThemeAsync(string theme, string where)
    {
        var palette = theme == "dark" ? (MudBlazor.Palette)PortalTheme.Theme.PaletteDark : PortalTheme.Theme.PaletteLight;
        // Colours fade between themes: read them once no transition runs.
        await page!.WaitForFunctionAsync(
            "() => document.getAnimations().every(a => a.playState !== 'running' || a.effect?.getComputedTiming().iterations === Infinity)");
        var background = await page.EvaluateAsync<string>("() => getComputedStyle(document.body).backgroundColor");
        Assert.True($"rgb({palette.Background.R}, {palette.Background.G}, {palette.Background.B})" == background,
            $"{where}: the page background is {background}, not the {theme} theme's {palette.Background}.");
        var label = await page.GetAttributeAsync("#theme-toggle", "aria-label");
        Assert.Equal(theme == "dark" ? "Switch to light mode" : "Switch to dark mode", label);
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
