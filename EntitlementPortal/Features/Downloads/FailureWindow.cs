namespace EntitlementPortal.Features.Downloads;

/// <summary>
/// A sliding window of recent failures per key (a client address, a user name), in this process's memory. A key
/// that has <c>limit</c> failures inside the window must wait until the oldest of them leaves it, and
/// <see cref="RetryAfter"/> says exactly how long that is, so a request made after the announced wait is evaluated
/// again. Time comes from the injected <see cref="TimeProvider"/>, so tests move it instead of sleeping.
/// </summary>
/// <remarks>
/// Memory is bounded twice: a key keeps at most <c>limit</c> failure times (older ones never decide anything), and
/// at most <c>capacity</c> keys are tracked. A new key beyond that pushes out the key whose last failure is oldest,
/// so spraying made-up keys can cost other keys their history, but never grows memory without bound.
/// </remarks>
internal sealed class FailureWindow(TimeProvider clock, int limit, TimeSpan window, int capacity)
{
    private readonly Lock gate = new();
    private readonly Dictionary<string, LinkedListNode<KeyFailures>> byKey = new(StringComparer.Ordinal);
    // Least recent failure first: the eviction candidate is always at the front, in O(1).
    private readonly LinkedList<KeyFailures> byLastFailure = new();

    public int TrackedKeys
    {
        get
        {
            lock (gate)
            {
                return byKey.Count;
            }
        }
    }

    /// <summary>How long this key must wait before its next attempt, or null when it may try now. Only looks.</summary>
    public TimeSpan? RetryAfter(string key)
    {
        lock (gate)
        {
            if (!byKey.TryGetValue(key, out var node))
            {
                return null;
            }
            var now = clock.GetTimestamp();
            var times = node.Value.Times;
            DropExpired(times, now);
            if (times.Count == 0)
            {
                Remove(node);
                return null;
            }
            // When the oldest of these leaves the window the key is under its limit again: that is the wait to announce.
            return times.Count < limit ? null : window - clock.GetElapsedTime(times.Peek(), now);
        }
    }

    public void RecordFailure(string key)
    {
        lock (gate)
        {
            var now = clock.GetTimestamp();
            if (byKey.TryGetValue(key, out var node))
            {
                byLastFailure.Remove(node);
            }
            else
            {
                if (byKey.Count >= capacity && byLastFailure.First is { } leastRecent)
                {
                    Remove(leastRecent);
                }
                node = new LinkedListNode<KeyFailures>(new KeyFailures(key));
                byKey[key] = node;
            }
            byLastFailure.AddLast(node);
            var times = node.Value.Times;
            DropExpired(times, now);
            times.Enqueue(now);
            while (times.Count > limit)
            {
                times.Dequeue();
            }
        }
    }

    private void DropExpired(Queue<long> times, long now)
    {
        while (times.Count > 0 && clock.GetElapsedTime(times.Peek(), now) >= window)
        {
            times.Dequeue();
        }
    }

    private void Remove(LinkedListNode<KeyFailures> node)
    {
        byLastFailure.Remove(node);
        byKey.Remove(node.Value.Key);
    }

    private sealed class KeyFailures(string key)
    {
        public string Key { get; } = key;

        /// <summary>Timestamps (<see cref="TimeProvider.GetTimestamp"/>) of the newest failures, oldest first.</summary>
        public Queue<long> Times { get; } = new();
    }
}
