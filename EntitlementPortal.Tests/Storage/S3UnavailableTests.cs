using System.Net;
using System.Text.Json;
using EntitlementPortal.Tests.Downloads;
using EntitlementPortal.Tests.Support;

namespace EntitlementPortal.Tests.Storage;

/// <summary>The bucket goes away while the portal runs: downloads are 503 problems and count nothing.</summary>
public sealed class S3UnavailableTests(S3Server s3) : DownloadTestBase(Settings(s3)), IClassFixture<S3Server>
{
    private static Dictionary<string, string?> Settings(S3Server s3)
    {
        var settings = s3.StorageSettings();
        settings["Downloads:ContentCacheBytes"] = "0";
        return settings;
    }

    public override ValueTask InitializeAsync()
    {
        s3.Require();
        return base.InitializeAsync();
    }

    [Fact]
    public async Task A_download_while_the_bucket_is_unreachable_is_a_503_problem_and_not_counted()
    {
        var (id, token) = await CreateTokenAsync(new { name = "Store away" });
        await s3.DisposeAsync();

        var response = await GetAsync($"/dl/{token}/{FilePath}");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement;
        Assert.Equal("storage_unavailable", problem.GetProperty("reason").GetString());
        var counted = await TokenAsync(id);
        Assert.Equal(0, counted.GetProperty("downloads").GetInt32());
        Assert.Equal(0, counted.GetProperty("bandwidthBytes").GetInt64());
    }
}
