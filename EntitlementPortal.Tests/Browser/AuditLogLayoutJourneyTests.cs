using System.Net.Http.Json;
using System.Text.RegularExpressions;
using EntitlementPortal.Tests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace EntitlementPortal.Tests.Browser;

/// <summary>The audit log on a desktop screen: it fits, reads well, and its filters and page live in the address.</summary>
[Collection(BrowserCollection.Name)]
public sealed class AuditLogLayoutJourneyTests(BrowserFixture browser) : IAsyncDisposable
{
    private const int Repositories = 27;
    private readonly ApiAppFactory app = new();
    private IPage? page;

    [Fact]
    public async Task At_1440_the_audit_table_fits_with_the_time_on_one_line_and_a_readable_summary()
    {
        await SeedAsync();
        page = await SignedInPageAsync();

        await BrowserSession.OpenAsync(page, "/audit", "Audit log");
        var grid = page.Locator("#audit-grid");
        await Expect(grid.Locator(".audit-summary").First).ToBeVisibleAsync();
        await BrowserSession.ScreenshotAsync(page, "audit-1440");

        var layout = await grid.EvaluateAsync<AuditLayout>("""
            grid => {
                const rem = parseFloat(getComputedStyle(document.documentElement).fontSize);
                const scroller = grid.querySelector('.mud-table-container');
                const summaries = [...grid.querySelectorAll('.audit-summary')].map(s => s.closest('td'));
                return {
                    overflowPx: Math.max(scroller.scrollWidth - scroller.clientWidth, document.documentElement.scrollWidth - innerWidth),
                    timeLines: Math.max(...[...grid.querySelectorAll('.audit-at')].map(t => t.getClientRects().length)),
                    timeCount: grid.querySelectorAll('.audit-at').length,
                    summaryRem: Math.min(...summaries.map(td => td.getBoundingClientRect().width)) / rem,
                    columns: [...grid.querySelectorAll('thead th')].map(th => `${th.textContent.trim()} ${th.getBoundingClientRect().width.toFixed(0)}`).join(', ')
                        + ` | grid ${grid.getBoundingClientRect().width.toFixed(0)}`,
                };
            }
            """);

        Assert.True(layout.OverflowPx == 0, $"The table is {layout.OverflowPx}px too wide; columns: {layout.Columns}");
        Assert.Equal(25, layout.TimeCount);
        Assert.Equal(1, layout.TimeLines);
        Assert.True(layout.SummaryRem >= 25, $"The summary column is {layout.SummaryRem:0.#}rem wide; columns: {layout.Columns}");
        browser.AssertNoCspViolations(page);
    }

    [Fact]
    public async Task Filters_page_and_page_size_survive_a_reload_and_come_back_with_Back()
    {
        await SeedAsync();
        page = await SignedInPageAsync();
        await BrowserSession.OpenAsync(page, "/audit", "Audit log");
        var grid = page.Locator("#audit-grid");

        await page.Locator("#filter-actor").FillAsync(ApiAppFactory.AdminEmail);
        await page.ClickAsync("#filter-entity-type");
        await page.Locator(".mud-popover-open .mud-list-item:has-text('Repository')").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex(@"/audit\?actor=ops(@|%40)example\.com&entity=repository$"));
        await Expect(grid.Locator(".audit-entity-type").First).ToHaveTextAsync("Repository");
        await page.Locator("#audit-grid button[aria-label='Next page']").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex(@"[?&]page=2(&|$)"));
        await Expect(grid.Locator(".audit-entity-type")).ToHaveCountAsync(Repositories - 25);

        await page.ReloadAsync();
        await BrowserSession.WaitForInteractiveAsync(page);
        await ExpectFilteredSecondPageAsync(grid);

        await BrowserSession.OpenAsync(page, "/repositories", "Repositories");
        await page.GoBackAsync();
        await BrowserSession.WaitForInteractiveAsync(page);
        await ExpectFilteredSecondPageAsync(grid);
        browser.AssertNoCspViolations(page);
    }

    private async Task ExpectFilteredSecondPageAsync(ILocator grid)
    {
        await Expect(page!).ToHaveURLAsync(new Regex(@"/audit\?(?=.*actor=ops(@|%40)example\.com)(?=.*entity=repository)(?=.*page=2)"));
        await Expect(page!.Locator("#filter-actor")).ToHaveValueAsync(ApiAppFactory.AdminEmail);
        await Expect(page.Locator("#audit-filters .mud-select:has(#filter-entity-type)").First).ToContainTextAsync("Repository");
        await Expect(grid.Locator(".audit-entity-type")).ToHaveCountAsync(Repositories - 25);
        Assert.All(await grid.Locator(".audit-entity-type").AllTextContentsAsync(), t => Assert.Equal("Repository", t.Trim()));
        await Expect(grid.Locator(".mud-table-pagination-caption").Last).ToContainTextAsync($"26-{Repositories} of {Repositories}");
    }

    /// <summary>Repositories, a customer and tokens with long, realistic names, as the API would create them.</summary>
    private async Task SeedAsync()
    {
        var ct = TestContext.Current.CancellationToken;
        using var api = app.CreateApiClient();
        for (var i = 1; i <= Repositories; i++)
        {
            (await api.PostAsJsonAsync("/api/v1/repos",
                new { slug = $"acme-enterprise-agents-{i:00}", name = $"Acme Enterprise Monitoring Agents {i:00}" }, ct)).EnsureSuccessStatusCode();
        }
        (await api.PostAsJsonAsync("/api/v1/customers",
            new { name = "Globex International Holdings and Subsidiaries", email = "licensing.department@globex-international.example" }, ct))
            .EnsureSuccessStatusCode();
        (await api.PostAsJsonAsync("/api/v1/repos/acme-enterprise-agents-01/entitlements",
            new { name = "Continuous integration for the Globex build farm" }, ct)).EnsureSuccessStatusCode();
    }

    private async Task<IPage> SignedInPageAsync()
    {
        var signedIn = await browser.NewPageAsync(app);
        await signedIn.SetViewportSizeAsync(1440, 900);
        await BrowserSession.SignInAsync(signedIn, ApiAppFactory.AdminEmail, ApiAppFactory.AdminPassword);
        return signedIn;
    }

    private sealed class AuditLayout
    {
        public double OverflowPx { get; set; }
        public int TimeLines { get; set; }
        public int TimeCount { get; set; }
        public double SummaryRem { get; set; }
        public string Columns { get; set; } = "";
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
