using EntitlementPortal.Features.Packages;

namespace EntitlementPortal.Features.Downloads;

/// <summary>
/// The content of a small file from the <see cref="ContentCache"/>, or read from storage, checked against its
/// SHA-256 and kept, on a miss. The hash is checked rather than trusted: a blob damaged on disk would otherwise
/// be served from memory, under its hash, for as long as it stays cached.
/// </summary>
public sealed class CachedContentReader(ContentCache cache, PackageStorage storage)
{
    /// <summary>The whole content (exactly <paramref name="size"/> bytes), or null: too large to keep, or not verifiable.</summary>
    public async ValueTask<ReadOnlyMemory<byte>?> ReadAsync(string sha256, long size, CancellationToken cancellationToken)
    {
        if (!cache.Admits(size))
        {
            return null;
        }
        if (cache.TryGet(sha256, out var cached) && cached.Length == size)
        {
            return cached;
        }
        var content = await storage.ReadVerifiedAsync(sha256, size, cancellationToken);
        if (content is null)
        {
            return null;
        }
        cache.Add(sha256, content);
        return content;
    }
}
