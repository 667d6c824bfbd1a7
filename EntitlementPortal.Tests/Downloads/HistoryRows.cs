using EntitlementPortal.Data;
using EntitlementPortal.Features.Downloads;

namespace EntitlementPortal.Tests.Downloads;

/// <summary>History rows written straight into the app's real database, for tests about reading them.</summary>
public static class HistoryRows
{
    public static DownloadEvent Served(DateTime at, int? tokenId = null, int? customerId = null, string repo = "acme",
        string package = "acme-agent", string version = "2.1.0", long bytes = 100, string clientIp = "198.51.100.1", bool counted = true) => new()
    {
        At = at, Repo = repo, Package = package, Version = version, Filename = $"{package}-{version}.tar.gz",
        TokenId = tokenId, CustomerId = customerId, AuthMethod = AuthMethod.TokenInPath, ClientIp = clientIp,
        UserAgent = "curl/8.0", Status = 200, Bytes = bytes, Counted = counted,
    };

    public static DownloadEvent Refused(DateTime at, string reason, int? tokenId = null, int? customerId = null, string repo = "acme",
        int status = 403, string clientIp = "198.51.100.9") => new()
    {
        At = at, Repo = repo, Package = "acme-agent", Version = "2.1.0", Filename = "acme-agent-2.1.0.tar.gz",
        TokenId = tokenId, CustomerId = customerId, AuthMethod = AuthMethod.TokenInPath, ClientIp = clientIp,
        UserAgent = "curl/8.0", Status = status, Bytes = 0, Reason = reason,
    };

    /// <summary>Adds the events and, as the live store does in the same transaction, their days to the daily rollups.</summary>
    public static async Task AddAsync(AppDbContext db, params DownloadEvent[] rows)
    {
        var refusals = DailyRollups.RefusalsOf(rows);
        var packages = DailyRollups.PackagesOf(rows);
        db.AddRange(rows);
        foreach (var day in rows.Where(e => e.TokenId is not null).GroupBy(e => (TokenId: e.TokenId!.Value, Day: e.At.Date)))
        {
            var (downloads, bytes) = (day.Sum(e => TokenDailyUsage.Of(e).Downloads), day.Sum(e => TokenDailyUsage.Of(e).Bytes));
            if (downloads == 0 && bytes == 0)
            {
                continue;
            }
            if (await db.Set<TokenDailyUsage>().FindAsync(day.Key.TokenId, day.Key.Day) is { } row)
            {
                row.Downloads += downloads;
                row.Bytes += bytes;
            }
            else
            {
                db.Add(new TokenDailyUsage
                {
                    TokenId = day.Key.TokenId, CustomerId = day.First().CustomerId, Day = day.Key.Day, Downloads = downloads, Bytes = bytes,
                });
            }
        }
        await db.SaveChangesAsync();
        await DailyRollups.AddAsync(db, refusals, packages, CancellationToken.None);
    }
}
