using EntitlementPortal.Tests.Support;
using Microsoft.Playwright;

namespace EntitlementPortal.Tests.Browser.Accessibility;

/// <summary>
/// Every page of the portal, on a desktop and on a phone, in the light theme and (on a desktop, where the page can
/// switch) the dark one: axe-core finds no serious or critical violation, the page has one main landmark and unique
/// ids, the browser logs no error and nothing scrolls sideways.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class PageAccessibilityTests(BrowserFixture browser, PortalPagesFixture portal) : IClassFixture<PortalPagesFixture>
{
    private static readonly Dictionary<string, (int Width, int Height)> Sizes = new()
    {
        ["desktop"] = (1440, 900),
        ["phone"] = (390, 844),
    };

    /// <summary>
    /// Ids a third-party component repeats, with the reason it does no harm. MudChart puts the same SVG filter,
    /// id "lighten", in every chart it draws; the copies are identical and nothing (no label, no ARIA reference)
    /// points at them.
    /// </summary>
    private static readonly string[] RepeatedThirdPartyIds = ["lighten"];

    public static TheoryData<string, string, string> Pages()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var page in PortalPages.All)
        {
            data.Add(page.Template, "desktop", "light");
            data.Add(page.Template, "phone", "light");
            // Colours are what the theme changes, and they do not depend on the width: one size is enough.
            if (page.Interactive)
            {
                data.Add(page.Template, "desktop", "dark");
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task Page_has_no_serious_accessibility_violation_no_console_error_and_no_sideways_scrolling(string template, string size, string theme)
    {
        var page = await portal.SignedInPageAsync(browser);
        await page.SetViewportSizeAsync(Sizes[size].Width, Sizes[size].Height);
        await page.EvaluateAsync("theme => localStorage.setItem('portal-theme', theme)", theme);
        portal.TakeConsoleErrors();

        await page.GotoAsync(PortalPages.Address(template, portal.Addresses));
        await WaitUntilSettledAsync(page, PortalPages.All.Single(p => p.Template == template).Interactive, theme);

        var where = $"{page.Url} ({size}, {theme})";
        var violations = await AxeCore.ViolationsAsync(page, "serious", "critical");
        Assert.True(violations.Count == 0, $"{where}:\n" + string.Join("\n", violations));
        Assert.Equal(1, await page.Locator("main").CountAsync());
        var duplicateIds = await page.EvaluateAsync<string[]>("""
            allowed => Object.entries([...document.querySelectorAll('[id]')].reduce((seen, e) => (seen[e.id] = (seen[e.id] || 0) + 1, seen), {}))
                .filter(([id, count]) => count > 1 && !allowed.includes(id)).map(([id, count]) => `${id} ×${count}`)
            """, RepeatedThirdPartyIds);
        Assert.True(duplicateIds.Length == 0, $"{where} repeats ids: " + string.Join(", ", duplicateIds));
        var overflow = await page.EvaluateAsync<string[]>("""
            () => document.documentElement.scrollWidth <= window.innerWidth ? [] :
                [`scrollWidth ${document.documentElement.scrollWidth} > innerWidth ${window.innerWidth}`,
                 ...[...document.querySelectorAll('body *')]
                    .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
                    .slice(0, 8).map(e => `${e.tagName.toLowerCase()}#${e.id}.${[...e.classList].join('.')}`)]
            """);
        Assert.True(overflow.Length == 0, $"{where} scrolls sideways:\n" + string.Join("\n", overflow));
        var errors = portal.TakeConsoleErrors();
        Assert.True(errors.Count == 0, $"{where} logged errors:\n" + string.Join("\n", errors));
        browser.AssertNoCspViolations(page);
    }

    [Fact]
    public void Every_page_left_out_of_the_check_is_still_a_page()
    {
        var routes = typeof(Program).Assembly.GetTypes()
            .SelectMany(type => type.GetCustomAttributes(typeof(Microsoft.AspNetCore.Components.RouteAttribute), false))
            .Cast<Microsoft.AspNetCore.Components.RouteAttribute>().Select(route => route.Template).ToHashSet();

        Assert.All(PortalPages.NotChecked.Keys, template => Assert.Contains(template, routes));
    }

    [Theory]
    [InlineData("light")]
    [InlineData("dark")]
    public async Task Sort_headers_are_reached_with_tab_show_their_focus_and_sort_with_enter_and_space(string theme)
    {
        var page = await portal.SignedInPageAsync(browser);
        await page.SetViewportSizeAsync(1440, 900);
        await page.EvaluateAsync("theme => localStorage.setItem('portal-theme', theme)", theme);
        await page.GotoAsync("/customers");
        await WaitUntilSettledAsync(page, interactive: true, theme);
        var firstName = page.Locator("#customers-table tbody tr").First.Locator("td").First;
        Assert.Equal("Acme Corporation International", (await firstName.InnerTextAsync()).Trim());

        // Tab from the top of the page until the Name header has the focus: it is in the tab order.
        await page.Locator("h1").First.FocusAsync();
        var reached = false;
        for (var presses = 0; presses < 40 && !reached; presses++)
        {
            await page.Keyboard.PressAsync("Tab");
            reached = await page.EvaluateAsync<bool>(
                "() => document.activeElement?.matches('.mud-table-sort-label') && document.activeElement.textContent.trim() === 'Name'");
        }
        Assert.True(reached, "Tab never reached the Name sort header of the customers table.");
        var outline = await page.EvaluateAsync<string>(
            "() => { const s = getComputedStyle(document.activeElement); return `${s.outlineStyle} ${s.outlineWidth} ${s.outlineColor}`; }");
        Assert.StartsWith("solid 2px", outline, StringComparison.Ordinal);
        Assert.Equal("button", await page.EvaluateAsync<string>("() => document.activeElement.getAttribute('role')"));

        await page.Keyboard.PressAsync("Enter");
        await page.Locator("#customers-table tbody tr >> nth=0 >> td >> nth=0 >> text=Zenith Robotics").WaitForAsync();
        await page.Keyboard.PressAsync(" ");
        await page.Locator("#customers-table tbody tr >> nth=0 >> td >> nth=0 >> text=Acme Corporation International").WaitForAsync();
    }

    [Fact]
    public async Task On_a_phone_the_account_menu_in_the_header_signs_out()
    {
        // Its own context: signing out would end the session the page checks share.
        var page = await browser.NewPageAsync(portal.App);
        try
        {
            await page.SetViewportSizeAsync(390, 844);
            await BrowserSession.SignInAsync(page, ApiAppFactory.AdminEmail, ApiAppFactory.AdminPassword);

            await page.ClickAsync("#account-menu-button");
            await page.ClickAsync("#menu-sign-out");

            await page.WaitForURLAsync("**/Account/Login**");
            browser.AssertNoCspViolations(page);
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    /// <summary>Waits for what users see once the page is done: its circuit, its heading, its data and its theme.</summary>
    private static async Task WaitUntilSettledAsync(IPage page, bool interactive, string theme)
    {
        try
        {
            if (interactive)
            {
                await BrowserSession.WaitForInteractiveAsync(page);
            }
            await page.Locator("h1").First.WaitForAsync();
            await page.WaitForFunctionAsync("() => !document.querySelector('.mud-progress-linear, .mud-table-loading')");
            if (interactive && theme == "dark")
            {
                await page.Locator("button[aria-label='Switch to light mode']").WaitForAsync();
            }
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{page.Url} did not settle: {e.Message}", e);
        }
    }
}
