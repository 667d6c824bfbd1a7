using System.Security.Cryptography;
using EntitlementPortal.Features.Downloads;

namespace EntitlementPortal.Tests.Downloads;

public sealed class ContentCacheTests
{
    private static (string Sha256, byte[] Content) Blob(int seed, int length)
    {
        var content = new byte[length];
        new Random(seed).NextBytes(content);
        return (Convert.ToHexStringLower(SHA256.HashData(content)), content);
    }

    [Fact]
    public void Content_is_given_back_by_its_hash_and_an_unknown_hash_misses()
    {
        var cache = new ContentCache(1024 * 1024);
        var (sha, content) = Blob(1, 4096);

        cache.Add(sha, content);

        Assert.True(cache.TryGet(sha, out var got));
        Assert.Equal(content, got.ToArray());
        Assert.True(cache.Contains(sha));
        Assert.False(cache.TryGet(Blob(2, 4096).Sha256, out _));
        Assert.Equal(4096 + ContentCache.EntryOverheadBytes, cache.UsedBytes);
    }

    [Fact]
    public void The_budget_is_never_passed_and_the_least_recently_used_goes_first()
    {
        var entryCost = 1000 + ContentCache.EntryOverheadBytes;
        var cache = new ContentCache(entryCost * 16);
        var blobs = Enumerable.Range(0, 17).Select(i => Blob(i, 1000)).ToList();
        foreach (var (sha, content) in blobs.Take(16))
        {
            cache.Add(sha, content);
        }
        // The oldest is used again, so the second oldest is the one to make room.
        Assert.True(cache.TryGet(blobs[0].Sha256, out _));

        cache.Add(blobs[16].Sha256, blobs[16].Content);

        Assert.Equal(16, cache.Count);
        Assert.Equal(entryCost * 16, cache.UsedBytes);
        Assert.True(cache.Contains(blobs[0].Sha256));
        Assert.False(cache.Contains(blobs[1].Sha256));
        Assert.True(cache.Contains(blobs[16].Sha256));
    }

    [Fact]
    public void The_same_content_added_twice_is_kept_and_counted_once()
    {
        var cache = new ContentCache(1024 * 1024);
        var (sha, content) = Blob(3, 500);

        cache.Add(sha, content);
        cache.Add(sha, (byte[])content.Clone());

        Assert.Equal(1, cache.Count);
        Assert.Equal(500 + ContentCache.EntryOverheadBytes, cache.UsedBytes);
    }

    [Theory]
    [InlineData(64L * 1024 * 1024, ContentCache.LargestEntryBytes)]
    [InlineData(1024L * 1024, 1024 * 1024 / 16 - ContentCache.EntryOverheadBytes)]
    public void Files_over_the_entry_maximum_never_enter(long capacity, long maxEntry)
    {
        var cache = new ContentCache(capacity);
        Assert.Equal(maxEntry, cache.MaxEntryBytes);
        var (largeSha, large) = Blob(4, checked((int)maxEntry + 1));
        var (fitSha, fit) = Blob(5, checked((int)maxEntry));

        cache.Add(largeSha, large);
        cache.Add(fitSha, fit);

        Assert.False(cache.Admits(maxEntry + 1));
        Assert.False(cache.Contains(largeSha));
        Assert.True(cache.Contains(fitSha));
        Assert.Equal(maxEntry + ContentCache.EntryOverheadBytes, cache.UsedBytes);
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(-1L)]
    [InlineData(long.MinValue)]
    [InlineData(ContentCache.EntryOverheadBytes * 16 - 1)]
    public void A_cache_that_is_off_or_too_small_keeps_nothing(long capacity)
    {
        var cache = new ContentCache(capacity);
        var (sha, content) = Blob(6, 1);

        cache.Add(sha, content);
        cache.Add(Blob(7, 0).Sha256, []);

        Assert.Equal(0, cache.Count);
        Assert.Equal(0, cache.UsedBytes);
        Assert.False(cache.Admits(0));
    }

    [Theory]
    [InlineData(-1L)]
    [InlineData(long.MinValue)]
    [InlineData(long.MaxValue)]
    public void Hostile_sizes_are_not_admitted(long size)
    {
        Assert.False(new ContentCache(64L * 1024 * 1024).Admits(size));
    }

    [Fact]
    public void Empty_files_cost_their_overhead_so_any_number_of_them_stays_within_the_budget()
    {
        var capacity = ContentCache.EntryOverheadBytes * 1000;
        var cache = new ContentCache(capacity);

        for (var i = 0; i < 5000; i++)
        {
            cache.Add(i.ToString("x64", System.Globalization.CultureInfo.InvariantCulture), []);
        }

        Assert.Equal(1000, cache.Count);
        Assert.Equal(capacity, cache.UsedBytes);
    }

    [Fact]
    public async Task Concurrent_adds_and_hits_keep_the_accounting_exact_and_within_the_budget()
    {
        const int size = 700;
        var entryCost = size + ContentCache.EntryOverheadBytes;
        var cache = new ContentCache(entryCost * 50);
        var blobs = Enumerable.Range(0, 400).Select(i => Blob(i, size)).ToArray();
        var wrong = 0;

        await Task.WhenAll(Enumerable.Range(0, 8).Select(worker => Task.Run(() =>
        {
            for (var round = 0; round < 2000; round++)
            {
                var (sha, content) = blobs[(round * 7 + worker * 13) % blobs.Length];
                if (cache.TryGet(sha, out var got))
                {
                    if (!got.Span.SequenceEqual(content))
                    {
                        Interlocked.Increment(ref wrong);
                    }
                }
                else
                {
                    cache.Add(sha, content);
                }
            }
        }, TestContext.Current.CancellationToken)));

        Assert.Equal(0, wrong);
        Assert.Equal(50, cache.Count);
        Assert.Equal(entryCost * 50, cache.UsedBytes);
        Assert.Equal(50, blobs.Count(b => cache.Contains(b.Sha256)));
    }
}
