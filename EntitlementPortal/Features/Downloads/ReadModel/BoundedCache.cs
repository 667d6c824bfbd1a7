using System.Collections.Concurrent;

namespace EntitlementPortal.Features.Downloads.ReadModel;

/// <summary>
/// A concurrent map of at most about <paramref name="capacity"/> entries: when full it starts empty again. The
/// entries are a cache of the database, so forgetting them only costs the next look-ups their query; the bound
/// keeps many tokens or files from growing memory without limit.
/// </summary>
internal sealed class BoundedCache<TKey, TValue>(int capacity) where TKey : notnull
{
    private readonly ConcurrentDictionary<TKey, TValue> entries = new();
    // Counted by hand: ConcurrentDictionary.Count takes every lock, too dear for each insert.
    private int added;

    public bool TryGet(TKey key, out TValue value) => entries.TryGetValue(key, out value!);

    public void Add(TKey key, TValue value)
    {
        if (!entries.TryAdd(key, value))
        {
            return;
        }
        if (Interlocked.Increment(ref added) > capacity)
        {
            entries.Clear();
            Interlocked.Exchange(ref added, 0);
        }
    }
}
