using Microsoft.Playwright;

namespace EntitlementPortal.Tests.Support;

/// <summary>Steps every browser journey shares: signing in through the real form and waiting for the circuit.</summary>
public static class BrowserSession
{
    public static async Task SignInAsync(IPage page, string email, string password)
    {
        await page.GotoAsync("/Account/Login");
        await page.FillAsync("#Input\\.Email", email);
        await page.FillAsync("#Input\\.Password", password);
        await page.ClickAsync("#sign-in");
        await WaitForInteractiveAsync(page);
    }

    /// <summary>Waits until the page runs on its circuit (not just prerendered HTML), so clicks reach the server.</summary>
    public static async Task WaitForInteractiveAsync(IPage page) =>
        await page.Locator("#render-state[data-interactive='true']").WaitForAsync(new() { State = WaitForSelectorState.Attached });

    /// <summary>Navigates inside the portal and waits for the page's heading.</summary>
    public static async Task OpenAsync(IPage page, string path, string heading)
    {
        await page.GotoAsync(path);
        await WaitForInteractiveAsync(page);
        await page.Locator($"h1:has-text('{heading}')").First.WaitForAsync();
    }

    public static Task ScreenshotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(AppContext.BaseDirectory, "screenshots", name + ".png"), FullPage = true });
}
