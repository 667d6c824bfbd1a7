using System.Globalization;
using EntitlementPortal.Features.Downloads;

namespace EntitlementPortal.Features.Demo;

/// <summary>
/// Generates the download history of the last <see cref="Days"/> days in time order: busier on weekdays and in
/// working hours, growing over the period, mostly served, with the refusals a real portal sees. Limits are
/// applied as the history unfolds, so a token with a download limit is refused once it reaches it.
/// </summary>
internal sealed class DemoEventGenerator(DemoWorld world, Random random, DemoTally tally)
{
    public const int Days = 90;

    private readonly double[] cumulativeActivity = Cumulative(world.Tokens.Select(t => t.Activity));
    private readonly HashSet<string> floodKeys = [];
    private readonly Dictionary<(string Repo, string? Package), DemoFile[]> filesByChoice = [];

    public IEnumerable<DownloadEvent> Generate(int count, DateTime now)
    {
        var perDay = SpreadOverDays(count, now);
        for (var day = 0; day < Days; day++)
        {
            var start = now.Date.AddDays(day - (Days - 1));
            // Today only has the hours up to now.
            var span = day == Days - 1 ? now - start : TimeSpan.FromDays(1);
            var times = Enumerable.Range(0, perDay[day]).Select(_ => start + TimeOfDay(span)).Order().ToList();
            foreach (var at in times)
            {
                var e = Next(at);
                tally.Add(e);
                yield return e;
            }
        }
    }

    private static int[] SpreadOverDays(int count, DateTime now)
    {
        var weights = Enumerable.Range(0, Days).Select(day =>
        {
            var weekday = (now.Date.AddDays(day - (Days - 1)).DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday) ? 0.45 : 1.0;
            return weekday * (0.7 + 0.6 * day / Days);
        }).ToArray();
        var total = weights.Sum();
        var counts = weights.Select(w => (int)(count * w / total)).ToArray();
        counts[^1] += count - counts.Sum();
        return counts;
    }

    /// <summary>Working hours (UTC, the customers span time zones) twice as likely as the night.</summary>
    private TimeSpan TimeOfDay(TimeSpan span)
    {
        while (true)
        {
            var offset = TimeSpan.FromTicks((long)(random.NextDouble() * span.Ticks));
            var busy = offset.Hours is >= 7 and < 19;
            if (busy || random.NextDouble() < 0.5)
            {
                return offset;
            }
        }
    }

    private DownloadEvent Next(DateTime at)
    {
        var roll = random.NextDouble();
        if (roll < 0.08)
        {
            return Public(at);
        }
        if (roll < 0.12)
        {
            return Refused(Attempt(at, PrivateFile(), ForeignAddress(), AuthMethod.TokenInPath), 401, "unknown_token");
        }
        if (roll < 0.13 && Flood(at) is { } flood)
        {
            return flood;
        }
        return ForToken(at, world.Tokens[Pick(cumulativeActivity)]);
    }

    private DownloadEvent ForToken(DateTime at, DemoToken token)
    {
        var file = FileOf(token.Repo, token.OnlyPackage is null || random.NextDouble() < 0.93 ? token.OnlyPackage : null);
        var foreign = random.NextDouble() < 0.03;
        var address = foreign ? ForeignAddress(token.ClientPool[0]) : token.ClientPool[random.Next(token.ClientPool.Length)];
        var e = Attempt(at, file, address, random.NextDouble() < 0.7 ? AuthMethod.TokenInPath : AuthMethod.TokenBasic);
        e.TokenId = token.Id;
        e.CustomerId = token.CustomerId;
        var usage = tally.Of(token.Id);
        (int Status, string? Reason) refusal = (token, file) switch
        {
            ({ IsActive: false }, _) => (403, "token_disabled"),
            ({ OnlyPackage: { } only }, _) when file.Package != only => (404, "not_in_query"),
            ({ ForeignRefusal: { } refused }, _) when foreign => (403, refused),
            _ when random.NextDouble() < 0.03 => (404, "not_found"),
            ({ LimitDownloads: { } limit }, _) when usage.Downloads >= limit => (403, "download_limit"),
            ({ LimitBandwidth: { } limit }, _) when usage.Bytes + file.Size > limit => (403, "bandwidth_limit"),
            _ => (0, (string?)null),
        };
        if (refusal.Reason is { } reason)
        {
            if (reason == "not_found")
            {
                e.Version = "9.9.9";
                e.Filename = e.Filename!.Replace(file.Version, "9.9.9", StringComparison.Ordinal);
            }
            return Refused(e, refusal.Status, reason);
        }
        if (random.NextDouble() < 0.06)
        {
            // A resumed transfer: bytes served, but the file was already counted for this client.
            e.Status = 206;
            e.Bytes = 1 + random.NextInt64(file.Size - 1);
            return e;
        }
        e.Status = 200;
        e.Bytes = file.Size;
        e.Counted = true;
        return e;
    }

    private DownloadEvent Public(DateTime at)
    {
        var file = FileOf("acme-community", null);
        var e = Attempt(at, file, ForeignAddress(), AuthMethod.None);
        e.Status = 200;
        e.Bytes = file.Size;
        return e;
    }

    /// <summary>A 429 summary row (one per address and minute, as <see cref="FloodSummary"/> keeps them).</summary>
    private DownloadEvent? Flood(DateTime at)
    {
        var e = Refused(Attempt(at, PrivateFile(), ForeignAddress(), AuthMethod.TokenInPath), 429, "rate_limited");
        var key = FloodSummary.KeyOf(e);
        if (!floodKeys.Add(key))
        {
            return null;
        }
        e.SummaryKey = key;
        e.Attempts = random.Next(2, 60);
        return e;
    }

    private DownloadEvent Attempt(DateTime at, DemoFile file, string address, AuthMethod method) => new()
    {
        At = at,
        Repo = file.Repo,
        Package = file.Package,
        Version = file.Version,
        Filename = file.Filename,
        AuthMethod = method,
        ClientIp = address,
        UserAgent = DemoCatalog.UserAgents[random.Next(DemoCatalog.UserAgents.Length)],
    };

    private static DownloadEvent Refused(DownloadEvent e, int status, string reason)
    {
        e.Status = status;
        e.Reason = reason;
        e.Bytes = 0;
        e.Counted = false;
        return e;
    }

    private DemoFile PrivateFile() => FileOf(world.Tokens[random.Next(world.Tokens.Count)].Repo, null);

    private DemoFile FileOf(string repo, string? package)
    {
        if (!filesByChoice.TryGetValue((repo, package), out var files))
        {
            filesByChoice[(repo, package)] = files = [.. world.Files.Where(f => f.Repo == repo && (package is null || f.Package == package))];
        }
        // Newer versions are fetched more often.
        var index = Math.Min(files.Length - 1, (int)(files.Length * Math.Sqrt(random.NextDouble())));
        return files[index];
    }

    private string ForeignAddress() => string.Create(CultureInfo.InvariantCulture,
        $"{DemoCatalog.Networks[random.Next(3)]}{random.Next(1, 255)}");

    /// <summary>An address outside the token's own /24, so a network-restricted token really refuses it.</summary>
    private string ForeignAddress(string own)
    {
        var network = own[..(own.LastIndexOf('.') + 1)];
        while (true)
        {
            var address = ForeignAddress();
            if (!address.StartsWith(network, StringComparison.Ordinal))
            {
                return address;
            }
        }
    }

    private int Pick(double[] cumulative)
    {
        var target = random.NextDouble() * cumulative[^1];
        var index = Array.BinarySearch(cumulative, target);
        return Math.Min(index < 0 ? ~index : index, cumulative.Length - 1);
    }

    private static double[] Cumulative(IEnumerable<double> weights)
    {
        var sum = 0.0;
        return [.. weights.Select(w => sum += w)];
    }
}
