using EntitlementPortal.Tests.Support;

namespace EntitlementPortal.Tests.Browser.Accessibility;

/// <summary>
/// Lists drawn as simple tables (a token's latest attempts, a package's files, a repository's members) become one
/// card per row on a phone: each value beside its column's name and short values on one line, where five squeezed
/// columns broke every word ("Outco me", "Cli en t IP"). On a desktop they stay tables.
/// </summary>
[Collection(PortalPagesCollection.Name)]
public sealed class StackedTableLayoutTests(PortalPagesFixture portal)
{
    private readonly BrowserFixture browser = portal.Browser;

    [Theory]
    [InlineData("/repositories/{Repo}/tokens/{Id:int}")]
    [InlineData("/repositories/{Repo}/packages/{Id:int}")]
    [InlineData("/repositories/{Slug}")]
    public async Task On_a_phone_each_row_is_a_card_of_labelled_values_that_keep_their_words_whole(string template)
    {
        var page = await portal.DefaultThemePageAsync();
        await page.SetViewportSizeAsync(390, 844);
        await page.GotoAsync(portal.Addresses[template]);
        await BrowserSession.WaitForInteractiveAsync(page);
        await page.Locator(".stacked-table tbody td").First.WaitForAsync();

        var cells = await page.EvaluateAsync<string[][]>("""
            () => [...document.querySelectorAll('.stacked-table tbody td')].map(td => {
                const header = td.closest('table').querySelectorAll('thead th')[td.cellIndex];
                const label = getComputedStyle(td, '::before').content.replace(/^"|"$/g, '');
                return [header ? header.textContent.trim() : "", label, td.textContent.trim(), String(td.getBoundingClientRect().height), getComputedStyle(td).display];
            })
            """);

        Assert.NotEmpty(cells);
        foreach (var cell in cells)
        {
            var (header, label, text, height) = (cell[0], cell[1], cell[2], double.Parse(cell[3], System.Globalization.CultureInfo.InvariantCulture));
            // The column's name beside the value (a column named only for screen readers has none).
            Assert.Equal(header == "Download" ? "" : header, label);
            if (text.Length is > 0 and <= 24)
            {
                Assert.True(height <= 40, $"'{label}: {text}' takes {height} px: its words are broken over lines (the cell is displayed as {cell[4]}).");
            }
        }

        // The column names are in the cards now; the header row would only repeat them, squeezed.
        Assert.Equal(0, await page.Locator(".stacked-table thead").Filter(new() { Visible = true }).CountAsync());

        await page.SetViewportSizeAsync(1440, 900);
        Assert.Equal("table-row", await page.EvaluateAsync<string>("() => getComputedStyle(document.querySelector('.stacked-table tbody tr')).display"));
        browser.AssertNoCspViolations(page);
    }
}
