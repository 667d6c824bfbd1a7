using EntitlementPortal.Features.Downloads;
using EntitlementPortal.Hosting;
using EntitlementPortal.Tests.Support;
using Microsoft.Extensions.Configuration;

namespace EntitlementPortal.Tests.Storage;

public sealed class S3StartupTests : IDisposable
{
    private readonly TempDirectory directory = new();

    public void Dispose() => directory.Dispose();

    [Fact]
    public async Task An_unreachable_bucket_stops_start_up_with_one_clear_line()
    {
        var result = await PortalProcess.RunUntilExitAsync(new Dictionary<string, string>
        {
            ["Storage__Provider"] = "S3",
            ["Storage__S3__Bucket"] = "packages",
            // Port 9 (discard) on loopback: nothing listens, the connection is refused.
            ["Storage__S3__ServiceUrl"] = "http://127.0.0.1:9",
            ["Storage__S3__Region"] = "us-east-1",
            ["Storage__S3__ForcePathStyle"] = "true",
            ["Storage__S3__AccessKey"] = "S3RVER",
            ["Storage__S3__SecretKey"] = "S3RVER",
        }, TimeSpan.FromSeconds(90), directory.Path);

        Assert.Equal(1, result.ExitCode);
        var line = Assert.Single(result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries)).Trim();
        Assert.StartsWith("EntitlementPortal cannot start: package storage bucket 'packages' at http://127.0.0.1:9 cannot be reached", line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.StandardOutput + result.StandardError);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("FileSystem")]
    public void Redirect_without_an_object_store_is_a_start_up_failure(string? provider)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Downloads:Offload"] = "Redirect",
            ["Storage:Provider"] = provider,
        }).Build();

        var failure = Assert.Throws<StartupFailedException>(() => RedirectOffload.EnsureValid(configuration));
        Assert.Contains("Storage:Provider=S3", failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Downloads:Offload", "2")]
    [InlineData("Downloads:Offload", "S3")]
    [InlineData("Downloads:RedirectLifetime", "0")]
    [InlineData("Downloads:RedirectLifetime", "901")]
    [InlineData("Downloads:RedirectLifetime", "00:20:00")]
    public void Offload_settings_accept_names_and_bounded_lifetimes_only(string key, string value)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:Provider"] = "S3",
            ["Downloads:Offload"] = "Redirect",
            [key] = value,
        }).Build();

        Assert.Throws<StartupFailedException>(() => RedirectOffload.EnsureValid(configuration));
    }

    [Fact]
    public void Offload_names_are_read_in_any_case()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Downloads:Offload"] = "xaccelredirect" }).Build();

        Assert.Equal(DownloadOffload.XAccelRedirect, RedirectOffload.ModeFrom(configuration));
    }
}
