using EntitlementPortal.Features.Downloads;
using EntitlementPortal.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;

namespace EntitlementPortal.Tests.Downloads.Offload;

public sealed class OffloadSettingsTests
{
    private const string Hash = "abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789";

    private static AccelRedirectOffload Read(string? offload, string? prefix = null) =>
        AccelRedirectOffload.FromConfiguration(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Downloads:Offload"] = offload,
            ["Downloads:AccelRedirectPrefix"] = prefix,
        }).Build());

    [Theory]
    [InlineData(null, DownloadOffload.None)]
    [InlineData("", DownloadOffload.None)]
    [InlineData("none", DownloadOffload.None)]
    [InlineData("XAccelRedirect", DownloadOffload.XAccelRedirect)]
    [InlineData(" xaccelredirect ", DownloadOffload.XAccelRedirect)]
    public void Offload_is_read_by_name_case_insensitively_and_is_off_by_default(string? value, DownloadOffload expected)
    {
        var settings = Read(value);
        Assert.Equal(expected, settings.Mode);
        Assert.Equal("/_ep_files/", settings.Prefix);
    }

    [Theory]
    [InlineData("1")]
    [InlineData("nginx")]
    [InlineData("None, XAccelRedirect")]
    public void An_unknown_offload_stops_start_up_with_one_line(string value)
    {
        var failure = Assert.Throws<StartupFailedException>(() => Read(value));
        Assert.Equal($"Downloads:Offload '{value}' is not valid; use None, XAccelRedirect or Redirect.", failure.Message);
    }

    [Fact]
    public void Redirect_is_not_nginx_offload()
    {
        var settings = Read("redirect");
        Assert.Equal(DownloadOffload.Redirect, settings.Mode);
        Assert.False(settings.IsEnabled);
    }

    [Fact]
    public void Nginx_offload_needs_files_on_disk()
    {
        var failure = Assert.Throws<StartupFailedException>(() => AccelRedirectOffload.FromConfiguration(
            new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Downloads:Offload"] = "XAccelRedirect",
                ["Storage:Provider"] = "s3",
            }).Build()));
        Assert.Equal("Downloads:Offload=XAccelRedirect needs files on disk (Storage:Provider=FileSystem); with S3 use Redirect.", failure.Message);
    }

    [Theory]
    [InlineData("_ep_files/")]
    [InlineData("/_ep_files")]
    [InlineData("/")]
    [InlineData("//files/")]
    [InlineData("/../files/")]
    [InlineData("/files/\r\nX-Other: 1/")]
    public void A_prefix_that_is_not_a_plain_path_between_slashes_stops_start_up(string prefix)
    {
        var failure = Assert.Throws<StartupFailedException>(() => Read("XAccelRedirect", prefix));
        Assert.StartsWith("Downloads:AccelRedirectPrefix '", failure.Message);
    }

    [Fact]
    public void The_location_is_the_prefix_and_the_blobs_path_under_the_storage_root()
    {
        Assert.Equal($"/internal/files/sha256/ab/cd/{Hash}", Read("XAccelRedirect", "/internal/files/").LocationOf(Hash));
        Assert.Throws<ArgumentException>(() => Read("XAccelRedirect").LocationOf("../../etc/passwd"));
    }

    [Theory]
    [InlineData("GET", FileResponseKind.Whole, null, true)]
    [InlineData("GET", FileResponseKind.Partial, "Range: bytes=0-9", true)]
    [InlineData("GET", FileResponseKind.Whole, "Range: bytes=0-1,5-9", false)]
    [InlineData("GET", FileResponseKind.Partial, "If-Range: \"x\"", false)]
    [InlineData("GET", FileResponseKind.Whole, "If-Match: \"x\"", false)]
    [InlineData("GET", FileResponseKind.Whole, "If-Unmodified-Since: Tue, 01 Dec 2026 00:00:00 GMT", false)]
    [InlineData("GET", FileResponseKind.Whole, "If-None-Match: \"other\"", true)]
    [InlineData("HEAD", FileResponseKind.Whole, null, false)]
    [InlineData("GET", FileResponseKind.NotModified, null, false)]
    [InlineData("GET", FileResponseKind.RangeNotSatisfiable, "Range: bytes=99999-", false)]
    public void Nginx_sends_only_plans_it_reads_the_same_way(string method, FileResponseKind kind, string? header, bool offloaded)
    {
        var request = new DefaultHttpContext().Request;
        request.Method = method;
        if (header is not null)
        {
            var (name, value) = (header[..header.IndexOf(':')], header[(header.IndexOf(':') + 1)..].Trim());
            request.Headers[name] = value;
        }
        var plan = new FileResponsePlan(kind, 0, kind == FileResponseKind.Partial ? 10 : 100);

        Assert.Equal(offloaded, Read("XAccelRedirect").Sends(request, plan));
        Assert.False(Read("None").Sends(request, plan));
    }
}
