using System.Net;
using EntitlementPortal.Features.Downloads;
using EntitlementPortal.Tests.Downloads;
using EntitlementPortal.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace EntitlementPortal.Tests.Storage;

/// <summary>With the bucket as the store, small files are still kept in memory by their hash and served from there.</summary>
public sealed class S3ContentCacheTests(S3Server s3) : DownloadTestBase(s3.StorageSettings()), IClassFixture<S3Server>
{
    public override ValueTask InitializeAsync()
    {
        s3.Require();
        return base.InitializeAsync();
    }

    [Fact]
    public async Task A_small_file_read_from_the_bucket_is_cached_and_served_from_memory_once_the_bucket_is_gone()
    {
        var (_, token) = await CreateTokenAsync(new { name = "Cached" });
        var first = await GetAsync($"/dl/{token}/{FilePath}");
        Assert.Equal(Content, await first.Content.ReadAsByteArrayAsync(Ct));
        Assert.True(App.Services.GetRequiredService<ContentCache>().Contains(System.Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Content))));

        await s3.DisposeAsync();
        var second = await GetAsync($"/dl/{token}/{FilePath}");

        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(Content, await second.Content.ReadAsByteArrayAsync(Ct));
    }
}
