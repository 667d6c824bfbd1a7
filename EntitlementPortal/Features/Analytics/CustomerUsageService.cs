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

/// <summary>
/// What one customer's tokens did over a period: downloads and bytes from the daily rollup (whole after retention),
/// clients, last download, top packages and refusals from the download events still kept.
/// </summary>
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

        // Downloads and bytes per day come from the rollup, so they cover the tokens' whole life after retention; only
        // part days at the ends of an API period need the events. Both name the customer who owned the token then.
        var days = period.Days();
        var wholeDays = await days.Apply(db.Set<TokenDailyUsage>().AsNoTracking())
            .Where(u => u.CustomerId == customerId)
            .GroupBy(u => u.Day)
            .Select(g => new { Day = g.Key, Downloads = g.Sum(u => u.Downloads), Bytes = g.Sum(u => u.Bytes) })
            .ToListAsync(cancellationToken);
        var partDays = await days.ApplyToParts(db.Set<DownloadEvent>().AsNoTracking())
            .Where(e => e.CustomerId == customerId && e.TokenId != null)
            .GroupBy(e => e.At.Date)
            .Select(g => new
            {
                Day = g.Key,
                Downloads = g.LongCount(e => e.Counted),
                Bytes = g.Where(e => e.Status < 400 && e.Filename != null).Sum(e => e.Bytes),
            })
            .ToListAsync(cancellationToken);
        var byDay = wholeDays.Concat(partDays)
            .GroupBy(d => d.Day)
            .Select(g => new DailyUsage(DateOnly.FromDateTime(g.Key), g.Sum(d => d.Downloads), g.Sum(d => d.Bytes)))
            .Where(d => d.Downloads > 0 || d.Bytes > 0)
            .OrderBy(d => d.Date)
            .ToList();
        var downloads = byDay.Sum(d => d.Downloads);
        var bytes = byDay.Sum(d => d.Bytes);

        // Distinct clients, the last download, top packages and refusals need single attempts: the events kept.
        var clients = await counted.Select(e => e.ClientIp).Distinct().CountAsync(cancellationToken);
        var last = await counted.OrderByDescending(e => e.At).ThenByDescending(e => e.Id)
            .Select(e => new { e.At, e.ClientIp }).FirstOrDefaultAsync(cancellationToken);

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
