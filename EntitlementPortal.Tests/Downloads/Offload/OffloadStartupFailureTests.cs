using EntitlementPortal.Tests.Support;

namespace EntitlementPortal.Tests.Downloads.Offload;

/// <summary>A wrong offload setting stops the real process with one line, like every other setting.</summary>
public sealed class OffloadStartupFailureTests : IDisposable
{
    private readonly TempDirectory directory = new();

    [Theory]
    [InlineData("Downloads__Offload", "nginx", "Downloads:Offload 'nginx' is not valid; use None, XAccelRedirect or Redirect.")]
    [InlineData("Downloads__Offload", "Redirect", "Downloads:Offload=Redirect needs Storage:Provider=S3")]
    [InlineData("Downloads__AccelRedirectPrefix", "files", "Downloads:AccelRedirectPrefix 'files' is not valid")]
    public async Task A_bad_offload_setting_exits_with_one_clear_line(string key, string value, string expected)
    {
        var result = await PortalProcess.RunUntilExitAsync(
            new Dictionary<string, string> { [key] = value }, TimeSpan.FromSeconds(90), directory.Path);

        Assert.Equal(1, result.ExitCode);
        var line = Assert.Single(result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"EntitlementPortal cannot start: {expected}", line);
        Assert.DoesNotContain("   at ", result.StandardOutput + result.StandardError);
    }

    public void Dispose() => directory.Dispose();
}
