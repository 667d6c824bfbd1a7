using EntitlementPortal.Tests.Support;

namespace EntitlementPortal.Tests.Packages;

public sealed class PackageStorageStartupTests : IDisposable
{
    private readonly TempDirectory directory = new();

    public void Dispose() => directory.Dispose();

    [Fact]
    public async Task A_bad_upload_limit_stops_start_up_with_one_clear_line()
    {
        var result = await PortalProcess.RunUntilExitAsync(
            new Dictionary<string, string> { ["Storage__MaxUploadBytes"] = "lots" }, TimeSpan.FromSeconds(90), directory.Path);

        Assert.Equal(1, result.ExitCode);
        var line = Assert.Single(result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal("EntitlementPortal cannot start: Storage:MaxUploadBytes must be a positive number of bytes, not 'lots'.", line.Trim());
        Assert.DoesNotContain("   at ", result.StandardOutput + result.StandardError);
    }
}
