using EntitlementPortal.Data;
using EntitlementPortal.Features.Customers;
using EntitlementPortal.Features.Downloads;
using EntitlementPortal.Features.Permissions;
using EntitlementPortal.Features.Shared;
using EntitlementPortal.Features.Tokens;
using EntitlementPortal.Identity;
using Microsoft.EntityFrameworkCore;

namespace EntitlementPortal.Features.Analytics;

public sealed record PackageDownloads(string? Package, string? Version, long Downloads);

public sealed record RefusedCount(string? Reason, long Count);

/// <summary>The JSON of <c>GET /api/v1/customers/{id}/usage</c>.</summary>
public sealed record CustomerUsage(long Downloads, int Clients, long BandwidthBytes, DateTime? LastDownloadAt, string? LastClientIp,
    IReadOnlyList<DailyUsage> ByDay, IReadOnlyList<PackageDownloads> TopPackages, IReadOnlyList<RefusedCount> Refused);

/// <summary>What one customer's tokens did over a period, read from the download history.</summary>
public sealed class CustomerUsageService(IDbContextFactory<AppDbContext> dbFactory)
{
    public const int TopPackageCount = 10;

    public async Task<CustomerUsage> GetAsync(Actor actor, int customerId, AnalyticsPeriod period, CancellationToken cancellationToken = default)
    {
        EnsureCanRead(actor);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (!await db.Set<Customer>().AnyAsync(c => c.Id == customerId, cancellationToken))
        {
            throw new NotFoundException($"Customer {customerId}");
        }
        var events = period.Apply(db.Set<DownloadEvent>().AsNoTracking()).Where(e => e.CustomerId == customerId);
        var counted = events.Where(e => e.Counted);
        var served = events.Where(e => e.Status < 400 && e.Filename != null && e.Bytes > 0);

        var downloads = await counted.LongCountAsync(cancellationToken);
        var clients = await counted.Select(e => e.ClientIp).Distinct().CountAsync(cancellationToken);
        var bytes = await served.SumAsync(e => e.Bytes, cancellationToken);
        var last = await counted.OrderByDescending(e => e.At).ThenByDescending(e => e.Id)
            .Select(e => new { e.At, e.ClientIp }).FirstOrDefaultAsync(cancellationToken);

        var downloadsByDay = await counted.GroupBy(e => e.At.Date).Select(g => new { Day = g.Key, Count = g.LongCount() })
            .ToDictionaryAsync(g => g.Day, g => g.Count, cancellationToken);
        var bytesByDay = await served.GroupBy(e => e.At.Date).Select(g => new { Day = g.Key, Bytes = g.Sum(e => e.Bytes) })
            .ToDictionaryAsync(g => g.Day, g => g.Bytes, cancellationToken);
        var byDay = downloadsByDay.Keys.Union(bytesByDay.Keys).Order()
            .Select(day => new DailyUsage(DateOnly.FromDateTime(day), downloadsByDay.GetValueOrDefault(day), bytesByDay.GetValueOrDefault(day)))
            .ToList();

        var topPackages = await counted.GroupBy(e => new { e.Package, e.Version })
            .Select(g => new { g.Key.Package, g.Key.Version, Downloads = g.LongCount() })
            .OrderByDescending(g => g.Downloads).ThenBy(g => g.Package).ThenBy(g => g.Version)
            .Take(TopPackageCount).ToListAsync(cancellationToken);
        // A flood summary is one row standing for many refused attempts.
        var refused = await events.Where(e => e.Status >= 400 && e.Status < 500).GroupBy(e => e.Reason)
            .Select(g => new { Reason = g.Key, Count = g.Sum(e => (long)e.Attempts) })
            .OrderByDescending(g => g.Count).ThenBy(g => g.Reason).ToListAsync(cancellationToken);

        return new CustomerUsage(downloads, clients, bytes, last?.At, last?.ClientIp, byDay,
            topPackages.Select(p => new PackageDownloads(p.Package, p.Version, p.Downloads)).ToList(),
            refused.Select(r => new RefusedCount(r.Reason, r.Count)).ToList());
    }

    private static void EnsureCanRead(Actor actor)
    {
        PermissionCheck.Ensure(actor, Permission.ViewDownloadHistory);
    }
}
