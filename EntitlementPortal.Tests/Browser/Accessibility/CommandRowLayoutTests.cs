using EntitlementPortal.Tests.Support;

namespace EntitlementPortal.Tests.Browser.Accessibility;

/// <summary>
/// A download command is the thing people copy from the token page: on a phone its label goes above it, so the
/// command gets the whole width rather than a narrow column beside the label; on a desktop it stays on one line.
/// </summary>
[Collection(PortalPagesCollection.Name)]
public sealed class CommandRowLayoutTests(PortalPagesFixture portal)
{
    private readonly BrowserFixture browser = portal.Browser;

    [Theory]
    [InlineData(390, 844, true)]
    [InlineData(1440, 900, false)]
    public async Task The_label_of_a_download_command_goes_above_it_only_on_a_phone(int width, int height, bool stacked)
    {
        var page = await portal.DefaultThemePageAsync();
        await page.SetViewportSizeAsync(width, height);
        await page.GotoAsync(portal.Addresses["/repositories/{Repo}/tokens/{Id:int}"]);
        await BrowserSession.WaitForInteractiveAsync(page);
        await page.Locator("#snippet-curl").WaitForAsync();

        var layout = await page.EvaluateAsync<double[]>("""
            () => {
                const code = document.querySelector('#snippet-curl'), row = code.closest('.command-row');
                const label = row.querySelector('.command-label').getBoundingClientRect(), box = code.getBoundingClientRect();
                return [label.bottom, box.top, box.width, row.getBoundingClientRect().width];
            }
            """);
        var (labelBottom, codeTop, codeWidth, rowWidth) = (layout[0], layout[1], layout[2], layout[3]);

        Assert.Equal(stacked, codeTop >= labelBottom);
        if (stacked)
        {
            // The command and its copy button share the line below the label.
            Assert.True(codeWidth > rowWidth * 0.8, $"The command is {codeWidth} px wide in a row of {rowWidth} px.");
        }
        browser.AssertNoCspViolations(page);
    }
}
