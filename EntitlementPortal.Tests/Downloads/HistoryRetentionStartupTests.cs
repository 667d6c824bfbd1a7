using EntitlementPortal.Tests.Support;

namespace EntitlementPortal.Tests.Downloads;

public sealed class HistoryRetentionStartupTests : IDisposable
{
    private readonly TempDirectory directory = new();

    [Theory]
    [InlineData("abc")]
    [InlineData("0")]
    public async Task A_bad_retention_setting_stops_start_up_with_one_line(string value)
    {
        var result = await PortalProcess.RunUntilExitAsync(new Dictionary<string, string>
        {
            ["ConnectionStrings__Default"] = $"Data Source={directory.File("portal.db")}",
            ["History__RetentionDays"] = value,
        }, TimeSpan.FromSeconds(90), directory.Path);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"EntitlementPortal cannot start: History:RetentionDays '{value}' is not valid; use a whole number of days, at least 1 (leave it empty to keep every event).",
            Assert.Single(result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries)).Trim());
    }

    public void Dispose() => directory.Dispose();
}
