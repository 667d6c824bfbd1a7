using Microsoft.Extensions.Options;

namespace EntitlementPortal.Features.Downloads;

/// <summary>
/// Small package files kept in memory, keyed by their SHA-256, so a popular small download costs no file open,
/// stat or read. Keyed by content, an entry can never be stale: a replaced or re-uploaded file has a new hash,
/// and a hash names one content forever. Only verified content is added (<see cref="CachedContentReader"/>).
/// </summary>
/// <remarks>
/// Bounded by <see cref="CapacityBytes"/> (content plus a fixed cost per entry, so even empty files cannot grow
/// it without bound), least recently used first out. A file larger than <see cref="MaxEntryBytes"/> never
/// enters, so large downloads can neither grow the cache nor push the small files out. One lock guards the
/// map and the recency list; a hit is a dictionary lookup and a list move under it.
/// </remarks>
public sealed class ContentCache
{
    public const long DefaultCapacityBytes = 64L * 1024 * 1024;

    /// <summary>The largest file kept, whatever the capacity: beyond it reading from disk is as cheap per byte.</summary>
    public const long LargestEntryBytes = 1024 * 1024;

    /// <summary>What an entry costs besides its content (key, node, array header), counted against the capacity.</summary>
    public const long EntryOverheadBytes = 256;

    private readonly Lock gate = new();
    private readonly Dictionary<string, LinkedListNode<Entry>> entries = new(StringComparer.Ordinal);
    private readonly LinkedList<Entry> recency = new();
    private long usedBytes;

    public ContentCache(IOptions<DownloadOptions> options)
        : this(options.Value.ContentCacheBytes)
    {
    }

    public ContentCache(long capacityBytes)
    {
        CapacityBytes = Math.Max(0, capacityBytes);
        // A sixteenth of the budget at most, so one entry never evicts most of the others.
        MaxEntryBytes = Math.Min(LargestEntryBytes, CapacityBytes / 16 - EntryOverheadBytes);
    }

    public long CapacityBytes { get; }

    /// <summary>The largest content kept; negative when the cache is off or too small to keep anything.</summary>
    public long MaxEntryBytes { get; }

    public long UsedBytes
    {
        get
        {
            lock (gate)
            {
                return usedBytes;
            }
        }
    }

    public int Count
    {
        get
        {
            lock (gate)
            {
                return entries.Count;
            }
        }
    }

    /// <summary>Whether content of this size would be kept (no reading of a file that would not).</summary>
    public bool Admits(long size) => size >= 0 && size <= MaxEntryBytes;

    public bool Contains(string sha256)
    {
        lock (gate)
        {
            return entries.ContainsKey(sha256);
        }
    }

    /// <summary>The content with this hash, marked as just used; never copied, so callers must not change it.</summary>
    public bool TryGet(string sha256, out ReadOnlyMemory<byte> content)
    {
        lock (gate)
        {
            if (entries.TryGetValue(sha256, out var node))
            {
                recency.Remove(node);
                recency.AddFirst(node);
                content = node.Value.Content;
                return true;
            }
        }
        content = default;
        return false;
    }

    /// <summary>Keeps verified content under its hash, evicting the least recently used; too large is ignored.</summary>
    public void Add(string sha256, byte[] content)
    {
        if (!Admits(content.Length))
        {
            return;
        }
        var cost = content.Length + EntryOverheadBytes;
        lock (gate)
        {
            if (entries.ContainsKey(sha256))
            {
                // Same hash, same content: a concurrent miss filled it first.
                return;
            }
            entries[sha256] = recency.AddFirst(new Entry(sha256, content, cost));
            usedBytes += cost;
            while (usedBytes > CapacityBytes && recency.Last is { } oldest)
            {
                recency.RemoveLast();
                entries.Remove(oldest.Value.Sha256);
                usedBytes -= oldest.Value.Cost;
            }
        }
    }

    private sealed record Entry(string Sha256, byte[] Content, long Cost);
}
