using Bunit;
using EntitlementPortal.Features.Downloads;
using EntitlementPortal.Tests.Support;

namespace EntitlementPortal.Tests.Downloads;

public sealed class DownloadExportButtonTests : PortalComponentTest
{
    private IRenderedComponent<DownloadExportButton> RenderButton(long rows, bool loading = false) =>
        Render<DownloadExportButton>(p => p
            .Add(b => b.Href, "downloads/export.csv?repo=acme")
            .Add(b => b.Rows, rows)
            .Add(b => b.Loading, loading));

    [Fact]
    public void The_button_says_how_many_rows_the_export_holds_and_links_to_the_streamed_file()
    {
        var button = RenderButton(13_882);

        Assert.Equal("(13,882 rows)", button.Find("#export-rows").TextContent.Trim());
        Assert.Equal("downloads/export.csv?repo=acme", button.Find("#export-csv").GetAttribute("href"));
        Assert.NotNull(button.Find("#export-csv").GetAttribute("download"));
        Assert.Empty(button.FindAll("#export-large"));
    }

    [Fact]
    public void A_large_export_warns_with_its_row_count_and_estimated_size()
    {
        var button = RenderButton(1_000_000);

        var warning = button.Find("#export-large").TextContent;
        Assert.Contains("1,000,000 rows", warning);
        Assert.Contains($"about {1_000_000L * DownloadExportButton.EstimatedBytesPerRow / (1024 * 1024)} MiB", warning);
        Assert.Empty(RenderButton(DownloadExportButton.LargeExportRows - 1).FindAll("#export-large"));
        Assert.NotEmpty(RenderButton(DownloadExportButton.LargeExportRows).FindAll("#export-large"));
    }

    [Fact]
    public void The_button_hands_the_export_script_the_row_count_and_an_empty_hidden_progress_panel()
    {
        var button = RenderButton(13_882);

        Assert.Equal("13882", button.Find("#export-csv").GetAttribute("data-rows"));
        Assert.Equal("false", button.Find("#export-csv").GetAttribute("data-large"));
        Assert.Equal("true", RenderButton(DownloadExportButton.LargeExportRows).Find("#export-csv").GetAttribute("data-large"));
        Assert.True(button.Find("#export-progress").HasAttribute("hidden"));
        Assert.True(button.Find("#export-cancel").HasAttribute("hidden"));
        Assert.True(button.Find("#export-problem").HasAttribute("hidden"));
        Assert.Equal("", button.Find("#export-progress-text").TextContent);
        // While the count loads the script is given none, so a progress bar would stay indeterminate.
        Assert.False(RenderButton(5, loading: true).Find("#export-csv").HasAttribute("data-rows"));
    }

    [Fact]
    public void While_the_rows_load_no_count_is_shown()
    {
        var button = RenderButton(1_000_000, loading: true);

        Assert.Empty(button.FindAll("#export-rows"));
        Assert.Empty(button.FindAll("#export-large"));
        Assert.Contains("Export CSV", button.Find("#export-csv").TextContent);
    }
}
