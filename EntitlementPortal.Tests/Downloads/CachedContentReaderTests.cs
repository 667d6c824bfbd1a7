using System.Security.Cryptography;
using EntitlementPortal.Data;
using EntitlementPortal.Features.Downloads;
using EntitlementPortal.Features.Packages;
using EntitlementPortal.Features.Shared;
using EntitlementPortal.Tests.Support;
using Microsoft.Extensions.Configuration;

namespace EntitlementPortal.Tests.Downloads;

/// <summary>What enters the content cache: only content that is exactly the size and hash its row names.</summary>
public sealed class CachedContentReaderTests : IDisposable
{
    private readonly TempDirectory directory = new();
    private readonly PackageStorage storage;

    public CachedContentReaderTests()
    {
        var configuration = new ConfigurationBuilder().Build();
        storage = new PackageStorage(configuration, new DatabaseSettings(DatabaseProvider.Sqlite, "Data Source=x.db", directory.Path));
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => directory.Dispose();

    private async Task<(string Sha256, byte[] Content)> StoreAsync(int length)
    {
        var content = new byte[length];
        new Random(length).NextBytes(content);
        using var pending = await storage.WriteAsync(new MemoryStream(content), cancellationToken: Ct);
        await storage.PublishAsync(pending, TestContext.Current.CancellationToken);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(content)), pending.Sha256);
        return (pending.Sha256, content);
    }

    [Fact]
    public async Task A_miss_reads_and_keeps_the_content_and_a_hit_needs_no_file()
    {
        var cache = new ContentCache(1024 * 1024);
        var reader = new CachedContentReader(cache, storage);
        var (sha, content) = await StoreAsync(4096);

        var first = await reader.ReadAsync(sha, content.Length, Ct);
        await storage.DeleteAsync(sha, TestContext.Current.CancellationToken);
        var second = await reader.ReadAsync(sha, content.Length, Ct);

        Assert.Equal(content, first!.Value.ToArray());
        Assert.Equal(content, second!.Value.ToArray());
        Assert.True(cache.Contains(sha));
    }

    [Fact]
    public async Task Content_damaged_on_disk_is_not_kept_under_its_hash()
    {
        var cache = new ContentCache(1024 * 1024);
        var reader = new CachedContentReader(cache, storage);
        var (sha, content) = await StoreAsync(4096);
        var damaged = (byte[])content.Clone();
        damaged[100] ^= 0xFF;
        await File.WriteAllBytesAsync(storage.PathFor(sha), damaged, Ct);

        Assert.Null(await reader.ReadAsync(sha, content.Length, Ct));
        Assert.Equal(0, cache.Count);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(1)]
    public async Task A_blob_of_another_size_than_its_row_says_is_not_kept(int difference)
    {
        var cache = new ContentCache(1024 * 1024);
        var reader = new CachedContentReader(cache, storage);
        var (sha, content) = await StoreAsync(2000);

        Assert.Null(await reader.ReadAsync(sha, content.Length + difference, Ct));
        Assert.Equal(0, cache.Count);
    }

    [Fact]
    public async Task A_missing_blob_gives_nothing()
    {
        var reader = new CachedContentReader(new ContentCache(1024 * 1024), storage);

        Assert.Null(await reader.ReadAsync(new string('a', 64), 10, Ct));
    }

    [Fact]
    public async Task Files_too_large_for_the_cache_are_not_read_into_memory()
    {
        var cache = new ContentCache(64L * 1024 * 1024);
        var reader = new CachedContentReader(cache, storage);
        var (sha, content) = await StoreAsync((int)ContentCache.LargestEntryBytes + 1);

        Assert.Null(await reader.ReadAsync(sha, content.Length, Ct));
        Assert.Equal(0, cache.UsedBytes);
    }
}
