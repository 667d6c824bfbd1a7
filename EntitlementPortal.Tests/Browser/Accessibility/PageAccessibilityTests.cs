using EntitlementPortal.Components.Layout;
using EntitlementPortal.Tests.Support;
using Microsoft.Playwright;

namespace EntitlementPortal.Tests.Browser.Accessibility;

/// <summary>
/// Every page of the portal, on a desktop and on a phone, in the light theme and (on a desktop) the dark one: axe-core finds no serious or critical violation, the page has one main landmark and unique
/// ids, no text is cut off, the browser logs no error and nothing scrolls sideways.
/// </summary>
[Collection(PortalPagesCollection.Name)]
public sealed class PageAccessibilityTests(PortalPagesFixture portal)
{
    private readonly BrowserFixture browser = portal.Browser;

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

    public static TheoryData<string, string> Pages()
    {
        var data = new TheoryData<string, string>();
        foreach (var page in PortalPages.All)
        {
            data.Add(page.Template, "desktop");
            data.Add(page.Template, "phone");
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task Page_has_no_serious_accessibility_violation_no_cut_text_no_console_error_and_no_sideways_scrolling(string template, string size)
    {
        var page = await portal.SignedInPageAsync();
        var interactive = PortalPages.All.Single(p => p.Template == template).Interactive;
        await page.SetViewportSizeAsync(Sizes[size].Width, Sizes[size].Height);
        await UseThemeAsync(page, "light");
        portal.TakeConsoleErrors();

        await page.GotoAsync(PortalPages.Address(template, portal.Addresses));
        await WaitUntilSettledAsync(page, interactive, "light");
        await AssertPageIsSoundAsync(page, $"{page.Url} ({size}, light)");
        await SaveScreenshotAsync(page, template, size, "light");

        // Colours are what the theme changes, and they do not depend on the width: one size is enough. The page is
        // loaded again with the stored choice (as a returning user gets it) rather than switched in place, so no
        // tooltip of the switch and no half-finished colour transition is in the picture. The static Identity
        // pages are checked too: they are rendered in the chosen theme like every other page.
        // A screenshot pass wants every page in both themes at both widths.
        if (size == "desktop" || ScreenshotFolder is not null)
        {
            await UseThemeAsync(page, "dark");
            await page.ReloadAsync();
            await WaitUntilSettledAsync(page, interactive, "dark");
            await AssertPageIsSoundAsync(page, $"{page.Url} ({size}, dark)");
            await SaveScreenshotAsync(page, template, size, "dark");
        }
    }

    /// <summary>
    /// Where a screenshot pass puts its pictures (<c>PORTAL_SCREENSHOTS=/some/folder</c>); null, and no pictures,
    /// otherwise. For looking at every page as an admin would, not for comparing pixels.
    /// </summary>
    private static readonly string? ScreenshotFolder = Environment.GetEnvironmentVariable("PORTAL_SCREENSHOTS") is { Length: > 0 } folder ? folder : null;

    private static async Task SaveScreenshotAsync(IPage page, string template, string size, string theme)
    {
        if (ScreenshotFolder is null)
        {
            return;
        }
        var name = string.Concat(template.Trim('/').Select(c => char.IsLetterOrDigit(c) ? c : '_'));
        await page.ScreenshotAsync(new() { Path = Path.Combine(ScreenshotFolder, $"{(name.Length == 0 ? "home" : name)}-{size}-{theme}.png"), FullPage = true });
    }

    private async Task AssertPageIsSoundAsync(IPage page, string where)
    {
        var violations = await AxeCore.ViolationsAsync(page, "serious", "critical");
        Assert.True(violations.Count == 0, $"{where}:\n" + string.Join("\n", violations));
        Assert.Equal(1, await page.Locator("main").CountAsync());
        var duplicateIds = await page.EvaluateAsync<string[]>("""
            allowed => Object.entries([...document.querySelectorAll('[id]')].reduce((seen, e) => (seen[e.id] = (seen[e.id] || 0) + 1, seen), {}))
                .filter(([id, count]) => count > 1 && !allowed.includes(id)).map(([id, count]) => `${id} ×${count}`)
            """, RepeatedThirdPartyIds);
        Assert.True(duplicateIds.Length == 0, $"{where} repeats ids: " + string.Join(", ", duplicateIds));
        // Text that a box with hidden overflow cuts off: a card value, a toggle button's label. The extent of the text
        // itself (a range over each text node) is compared with the nearest clipping box; a box that scrolls does not
        // cut, and an ellipsis is a visible, deliberate shortening (the full text is in a tooltip) except in a table's
        // card view, where values must wrap.
        var cut = await page.EvaluateAsync<string[]>("""
            () => [...document.querySelectorAll('body *')].filter(e => {
                const texts = [...e.childNodes].filter(n => n.nodeType === 3 && n.textContent.trim());
                if (texts.length === 0 || e.closest('.visually-hidden, [aria-hidden="true"]')) return false;
                const style = getComputedStyle(e);
                if (style.display === 'none' || style.visibility === 'hidden') return false;
                if (style.textOverflow === 'ellipsis' && !e.closest('.mud-xs-table')) return false;
                if (style.overflowX !== 'visible' && e.scrollWidth > e.clientWidth + 1) return true;
                const rects = texts.map(n => { const r = document.createRange(); r.selectNode(n); return r.getBoundingClientRect(); })
                    .filter(r => r.width > 0 && r.height > 0);
                if (rects.length === 0) return false;
                const left = Math.min(...rects.map(r => r.left)), right = Math.max(...rects.map(r => r.right));
                for (let box = e.parentElement; box && box !== document.body; box = box.parentElement) {
                    const overflow = getComputedStyle(box).overflowX;
                    if (overflow === 'auto' || overflow === 'scroll') return false;
                    if (overflow === 'hidden' || overflow === 'clip') {
                        const edge = box.getBoundingClientRect();
                        return right > edge.right + 1 || left < edge.left - 1;
                    }
                }
                return false;
            }).map(e => `${e.tagName.toLowerCase()}.${[...e.classList].join('.')} "${e.textContent.trim().slice(0, 60)}"`)
            """);
        Assert.True(cut.Length == 0, $"{where} cuts text off:\n" + string.Join("\n", cut));
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

    /// <summary>The dialogs that the pages open for creating things: the forms people fill in most.</summary>
    [Theory]
    [InlineData("/repositories", "#new-repository", "desktop")]
    [InlineData("/customers", "#new-customer", "phone")]
    [InlineData("/packages", "#upload-package", "phone")]
    [InlineData("/repositories/acme-enterprise-agents", "#new-token", "desktop")]
    [InlineData("/users", "#new-user", "phone")]
    [InlineData("/teams", "#new-team", "desktop")]
    public async Task Dialog_has_no_serious_accessibility_violation(string address, string opener, string size)
    {
        var page = await portal.SignedInPageAsync();
        await page.SetViewportSizeAsync(Sizes[size].Width, Sizes[size].Height);
        await UseThemeAsync(page, "light");
        portal.TakeConsoleErrors();
        await page.GotoAsync(address);
        await WaitUntilSettledAsync(page, interactive: true, "light");

        await page.ClickAsync(opener);
        await page.Locator(".mud-dialog").WaitForAsync();
        await page.WaitForFunctionAsync(
            "() => document.getAnimations().every(a => a.playState !== 'running' || a.effect?.getComputedTiming().iterations === Infinity)");

        // The next check loads its own page, which closes the dialog.
        await AssertPageIsSoundAsync(page, $"{address} {opener} dialog ({size})");
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
        var page = await portal.SignedInPageAsync();
        await page.SetViewportSizeAsync(1440, 900);
        await UseThemeAsync(page, theme);
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

    /// <summary>The theme the server renders the next pages in: the cookie the header's switch has the server set.</summary>
    private async Task UseThemeAsync(IPage page, string theme) =>
        await page.Context.AddCookiesAsync([new Cookie { Name = ThemeChoice.CookieName, Value = theme, Url = portal.App.RootUri.AbsoluteUri }]);

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
            // The switch offers the other theme once the page is in this one (on a static page too, as a link).
            await page.Locator($"#theme-toggle[aria-label='Switch to {(theme == "dark" ? "light" : "dark")} mode']").WaitForAsync();
            // Colours fade between themes, popovers fade in: check what stays, not a frame of a transition.
            await page.WaitForFunctionAsync(
                "() => document.getAnimations().every(a => a.playState !== 'running' || a.effect?.getComputedTiming().iterations === Infinity)");
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{page.Url} did not settle: {e.Message}", e);
        }
    }
}
