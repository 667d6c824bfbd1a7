using System.Net;
using System.Security.Cryptography;
using EntitlementPortal.Tests.Downloads;
using EntitlementPortal.Tests.Support;

namespace EntitlementPortal.Tests.Storage;

/// <summary><c>Downloads:Offload=Redirect</c>: decided and counted by the portal, the bytes come from the bucket.</summary>
public sealed class S3RedirectTests(S3Server s3) : DownloadTestBase(Settings(s3)), IClassFixture<S3Server>
{
    private static Dictionary<string, string?> Settings(S3Server s3)
    {
        var settings = s3.StorageSettings();
        settings["Downloads:Offload"] = "redirect";
        settings["Downloads:RedirectLifetime"] = "120";
        return settings;
    }

    public override ValueTask InitializeAsync()
    {
        s3.Require();
        return base.InitializeAsync();
    }

    [Fact]
    public async Task A_download_is_a_302_to_a_presigned_address_that_serves_the_file_and_is_counted_once()
    {
        var (id, token) = await CreateTokenAsync(new { name = "Redirected" });

        var response = await GetAsync($"/dl/{token}/{FilePath}");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        var location = response.Headers.Location!;
        Assert.StartsWith(s3.ServiceUrl.GetLeftPart(UriPartial.Authority), location.ToString(), StringComparison.Ordinal);
        using var direct = new HttpClient();
        var fetched = await direct.GetAsync(location, Ct);
        Assert.Equal(HttpStatusCode.OK, fetched.StatusCode);
        Assert.Equal(SHA256.HashData(Content), SHA256.HashData(await fetched.Content.ReadAsByteArrayAsync(Ct)));
        Assert.Equal(Filename, fetched.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        var counted = await TokenAsync(id);
        Assert.Equal(1, counted.GetProperty("downloads").GetInt32());
        Assert.Equal(Content.Length, counted.GetProperty("bandwidthBytes").GetInt64());
    }

    [Fact]
    public async Task A_range_is_still_served_by_the_portal()
    {
        var (_, token) = await CreateTokenAsync(new { name = "Range" });

        var response = await GetAsync($"/dl/{token}/{FilePath}", r => r.Headers.Range = new System.Net.Http.Headers.RangeHeaderValue(0, 99));

        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        Assert.Equal(Content[..100], await response.Content.ReadAsByteArrayAsync(Ct));
    }
}
