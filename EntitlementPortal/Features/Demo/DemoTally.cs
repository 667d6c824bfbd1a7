using EntitlementPortal.Features.Downloads;

namespace EntitlementPortal.Features.Demo;

/// <summary>
/// What the generated history adds up to, per token and per token and day, computed with the same rule the
/// live download path uses (<see cref="TokenDailyUsage.Of"/>), so the counters, the rollup and the events agree.
/// </summary>
internal sealed class DemoTally
{
    public sealed class TokenUsage
    {
        public long Downloads { get; set; }
        public long Bytes { get; set; }
        public HashSet<string> Clients { get; } = [];
        public Dictionary<string, DateTime> FirstSeen { get; } = [];
        public DateTime? LastDownloadAt { get; set; }
        public string? LastClientIp { get; set; }
    }

    public Dictionary<int, TokenUsage> Tokens { get; } = [];
    public Dictionary<(int TokenId, DateTime Day), (int? CustomerId, long Downloads, long Bytes)> Days { get; } = [];

    /// <summary>The refusal and package rollups, keyed and counted as <see cref="DailyRollups"/> keeps them live.</summary>
    public Dictionary<DailyRollups.RefusalKey, long> Refusals { get; } = [];
    public Dictionary<DailyRollups.PackageKey, long> Packages { get; } = [];

    public TokenUsage Of(int tokenId)
    {
        if (!Tokens.TryGetValue(tokenId, out var usage))
        {
            Tokens[tokenId] = usage = new TokenUsage();
        }
        return usage;
    }

    public void Add(DownloadEvent e)
    {
        if (DailyRollups.IsRefusal(e))
        {
            var refusal = DailyRollups.RefusalKeyOf(e);
            Refusals[refusal] = Refusals.GetValueOrDefault(refusal) + e.Attempts;
        }
        if (e.Counted)
        {
            var package = DailyRollups.PackageKeyOf(e);
            Packages[package] = Packages.GetValueOrDefault(package) + 1;
        }
        if (e.TokenId is not { } tokenId)
        {
            return;
        }
        var (downloads, bytes) = TokenDailyUsage.Of(e);
        if (downloads == 0 && bytes == 0)
        {
            return;
        }
        var usage = Of(tokenId);
        usage.Downloads += downloads;
        usage.Bytes += bytes;
        if (usage.Clients.Add(e.ClientIp!))
        {
            usage.FirstSeen[e.ClientIp!] = e.At;
        }
        usage.LastDownloadAt = e.At;
        usage.LastClientIp = e.ClientIp;
        var key = (tokenId, e.At.Date);
        var day = Days.GetValueOrDefault(key);
        Days[key] = (e.CustomerId, day.Downloads + downloads, day.Bytes + bytes);
    }
}
