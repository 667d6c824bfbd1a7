using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using EntitlementPortal.Features.Downloads;
using EntitlementPortal.Features.Packages;
using Microsoft.Extensions.DependencyInjection;

namespace EntitlementPortal.Tests.Downloads;

/// <summary>
/// Whole files and ranges come out byte for byte as the plan says, whether from the content cache or from disk,
/// for a small file and for one of many reads; a client that goes away stops the copy. Run with the cache on and off.
/// </summary>
public abstract class ServedBytesTests(Dictionary<string, string?>? settings = null) : DownloadTestBase(settings)
{
    private const string LargePackage = "acme-large";

    /// <summary>More than four reads of the large-file path and more than the cache keeps of one file.</summary>
    protected static readonly byte[] Large = RandomBytes(3 * 1024 * 1024 + 12_345, seed: 7);

    protected ContentCache Cache => App.Services.GetRequiredService<ContentCache>();

    protected PackageStorage Storage => App.Services.GetRequiredService<PackageStorage>();

    protected static string Sha256Of(byte[] content) => Convert.ToHexStringLower(SHA256.HashData(content));

    protected static byte[] RandomBytes(int length, int seed)
    {
        var content = new byte[length];
        new Random(seed).NextBytes(content);
        return content;
    }

    /// <summary>Whole, inner, first-byte, suffix and open ranges, and one past the end, checked byte for byte and counted exactly.</summary>
    protected async Task AssertServedExactlyAsync(string path, byte[] content, int tokenId)
    {
        var size = content.Length;
        var expected = (await TokenAsync(tokenId)).GetProperty("bandwidthBytes").GetInt64();
        var whole = await GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, whole.StatusCode);
        Assert.Equal(size, whole.Content.Headers.ContentLength);
        Assert.Equal(content, await whole.Content.ReadAsByteArrayAsync(Ct));
        expected += size;

        (long? From, long? To)[] ranges = [(100, 199), (0, 0), (null, 50), (size - 10, null), (size - 5, size + 1000), (262_000, 600_000)];
        foreach (var (from, to) in ranges)
        {
            var response = await GetAsync(path, r => r.Headers.Range = new RangeHeaderValue(from, to));
            var start = (int)(from ?? size - to!.Value);
            if (start >= size)
            {
                Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, response.StatusCode);
                continue;
            }
            var end = (int)Math.Min(from is null ? size : to + 1 ?? size, size);
            Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
            Assert.Equal(new ContentRangeHeaderValue(start, end - 1, size), response.Content.Headers.ContentRange);
            Assert.Equal(end - start, response.Content.Headers.ContentLength);
            Assert.Equal(content[start..end], await response.Content.ReadAsByteArrayAsync(Ct));
            expected += end - start;
        }

        var beyond = await GetAsync(path, r => r.Headers.Range = new RangeHeaderValue(size, size + 10));
        Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, beyond.StatusCode);
        Assert.Equal($"bytes */{size}", beyond.Content.Headers.GetValues("Content-Range").Single());
        Assert.Empty(await beyond.Content.ReadAsByteArrayAsync(Ct));

        var head = await GetAsync(path, method: HttpMethod.Head);
        Assert.Equal(size, head.Content.Headers.ContentLength);

        Assert.Equal(expected, (await TokenAsync(tokenId)).GetProperty("bandwidthBytes").GetInt64());
    }

    [Fact]
    public async Task A_small_file_is_served_whole_and_in_exact_ranges()
    {
        var (id, token) = await CreateTokenAsync(new { name = "Ranges" });

        await AssertServedExactlyAsync($"/dl/{token}/{FilePath}", Content, id);
    }

    [Fact]
    public async Task A_file_of_many_reads_is_served_whole_and_in_exact_ranges_and_never_enters_the_cache()
    {
        await UploadAsync(Repo, LargePackage, Version, "large.bin", Large);
        var (id, token) = await CreateTokenAsync(new { name = "Large" });
        var path = $"/dl/{token}/{Repo}/{LargePackage}/{Version}/large.bin";

        await AssertServedExactlyAsync(path, Large, id);
        for (var i = 0; i < 8; i++)
        {
            Assert.Equal(Large.Length, (await (await GetAsync(path)).Content.ReadAsByteArrayAsync(Ct)).Length);
        }

        Assert.False(Cache.Contains(Sha256Of(Large)));
        Assert.Equal(0, Cache.UsedBytes);
    }

    [Fact]
    public async Task A_client_that_goes_away_stops_the_copy_and_the_history_has_the_bytes_that_went_out()
    {
        // Larger than what loopback socket buffers and the response pipe hold together.
        var huge = RandomBytes(48 * 1024 * 1024, seed: 11);
        await UploadAsync(Repo, LargePackage, "9.0.0", "huge.bin", huge);
        var (_, token) = await CreateTokenAsync(new { name = "Goes away" });

        using (var request = new HttpRequestMessage(HttpMethod.Get, $"/dl/{token}/{Repo}/{LargePackage}/9.0.0/huge.bin"))
        using (var response = await Anonymous.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Ct))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            await using var body = await response.Content.ReadAsStreamAsync(Ct);
            var buffer = new byte[64 * 1024];
            await body.ReadAtLeastAsync(buffer, buffer.Length, cancellationToken: Ct);
        }

        var served = (await EventsAsync(atLeast: 1)).Single(e => e.Filename == "huge.bin");
        Assert.Equal(200, served.Status);
        Assert.InRange(served.Bytes, 64 * 1024, huge.Length - 1);
    }
}

/// <summary>The default: files up to the cache's entry size are served from memory once read.</summary>
public sealed class ServedBytesFromCacheTests : ServedBytesTests
{
    [Fact]
    public async Task A_cached_file_is_served_without_its_blob_and_only_verified_content_is_kept()
    {
        var (id, token) = await CreateTokenAsync(new { name = "Cached" });
        var path = $"/dl/{token}/{FilePath}";
        Assert.Equal(Content, await (await GetAsync(path)).Content.ReadAsByteArrayAsync(Ct));
        var sha = Sha256Of(Content);
        Assert.True(Cache.Contains(sha));

        // Content-addressed: what the hash names cannot change, so the blob's file is not even looked at again.
        await Storage.DeleteAsync(sha, TestContext.Current.CancellationToken);

        await AssertServedExactlyAsync(path, Content, id);
        Assert.Equal(1, Cache.Count);
    }
}

/// <summary><c>Downloads:ContentCacheBytes = 0</c>: every byte comes from disk.</summary>
public sealed class ServedBytesFromDiskTests() : ServedBytesTests(new() { ["Downloads:ContentCacheBytes"] = "0" })
{
    [Fact]
    public async Task Nothing_is_kept_and_a_file_missing_from_storage_is_503_and_counts_nothing()
    {
        var (id, token) = await CreateTokenAsync(new { name = "No cache" });
        var path = $"/dl/{token}/{FilePath}";
        Assert.Equal(Content, await (await GetAsync(path)).Content.ReadAsByteArrayAsync(Ct));
        Assert.Equal(0, Cache.Count);

        await Storage.DeleteAsync(Sha256Of(Content), TestContext.Current.CancellationToken);
        var missing = await GetAsync(path);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, missing.StatusCode);
        Assert.Contains("file_unavailable", await missing.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        var usage = await TokenAsync(id);
        Assert.Equal(1, usage.GetProperty("downloads").GetInt64());
        Assert.Equal(Content.Length, usage.GetProperty("bandwidthBytes").GetInt64());
    }
}
