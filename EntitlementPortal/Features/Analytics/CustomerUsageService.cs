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

/// <summary>
/// The JSON of <c>GET /api/v1/customers/{id}/usage</c>, and of the <c>period</c> of a token's usage: what a customer's
/// tokens, or one token, did over a period.
/// </summary>
public sealed record UsageReport(long Downloads, int Clients, long BandwidthBytes, DateTime? LastDownloadAt, string? LastClientIp,
    IReadOnlyList<DailyUsage> ByDay, IReadOnlyList<PackageDownloads> TopPackages, IReadOnlyList<RefusedCount> Refused);

/// <summary>
/// What one customer's tokens, or one token (see <see cref="UsageScope"/>), did over a period: downloads, bytes, top
/// packages and refusals from the per-day rollups (whole after retention), distinct clients and the last download
/// from the download events still kept.
/// </summary>
public sealed class CustomerUsageService(IDbContextFactory<AppDbContext> dbFactory, TokenAccess tokenAccess)
{
    public const int TopPackageCount = 10;

    public Task<UsageReport> GetAsync(Actor actor, UsageScope scope, AnalyticsPeriod period, CancellationToken cancellationToken = default) =>
        scope is { Repo: { } repo, TokenId: { } tokenId }
            ? GetForTokenAsync(actor, repo, tokenId, period, cancellationToken)
            : GetAsync(actor, scope.CustomerId!.Value, period, cancellationToken);

    public async Task<UsageReport> GetAsync(Actor actor, int customerId, AnalyticsPeriod period, CancellationToken cancellationToken = default)
    {
        EnsureCanRead(actor);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (!await db.Set<Customer>().AnyAsync(c => c.Id == customerId, cancellationToken))
        {
            throw new NotFoundException($"Customer {customerId}");
        }
        return await ReadAsync(db, UsageScope.ForCustomer(customerId), period, cancellationToken);
    }

    /// <summary>
    /// One standard token's usage over the period, for whoever may read the download history and see the token
    /// (client addresses and refusals are history); an unknown token, or one of another repository, is not found.
    /// </summary>
    public async Task<UsageReport> GetForTokenAsync(Actor actor, string repo, int tokenId, AnalyticsPeriod period,
        CancellationToken cancellationToken = default)
    {
        // Someone who may not see the repository's tokens learns nothing, not even that the token exists.
        await tokenAccess.EnsureAsync(actor, repo, Permission.ViewTokens, cancellationToken);
        EnsureCanRead(actor);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (!await db.Set<EntitlementToken>().AnyAsync(t => t.Id == tokenId && t.Repository!.Slug == repo && t.Kind == TokenKind.Standard,
                cancellationToken))
        {
            throw new NotFoundException($"Token {tokenId} in repository '{repo}'");
        }
        return await ReadAsync(db, UsageScope.ForToken(repo, tokenId), period, cancellationToken);
    }

    private static async Task<UsageReport> ReadAsync(AppDbContext db, UsageScope scope, AnalyticsPeriod period, CancellationToken cancellationToken)
    {
        var events = scope.Apply(period.Apply(db.Set<DownloadEvent>().AsNoTracking()));
        var counted = events.Where(e => e.Counted);

        // Downloads and bytes per day come from the rollup, so they cover the tokens' whole life after retention; only
        // part days at the ends of an API period need the events. For a customer, both name who owned the token then.
        var days = period.Days();
        var wholeDays = await scope.Apply(days.Apply(db.Set<TokenDailyUsage>().AsNoTracking()))
            .GroupBy(u => u.Day)
            .Select(g => new { Day = g.Key, Downloads = g.Sum(u => u.Downloads), Bytes = g.Sum(u => u.Bytes) })
            .ToListAsync(cancellationToken);
        var partDays = await scope.Apply(days.ApplyToParts(db.Set<DownloadEvent>().AsNoTracking()))
            .Where(e => e.TokenId != null)
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

        // Distinct clients and the last download need single attempts: the events kept.
        var clients = await counted.Select(e => e.ClientIp).Distinct().CountAsync(cancellationToken);
        var last = await counted.OrderByDescending(e => e.At).ThenByDescending(e => e.Id)
            .Select(e => new { e.At, e.ClientIp }).FirstOrDefaultAsync(cancellationToken);

        var topPackages = await TopPackagesAsync(db, scope, days, cancellationToken);
        var refused = await RefusedAsync(db, scope, days, cancellationToken);

        return new UsageReport(downloads, clients, bytes, last?.At, last?.ClientIp, byDay, topPackages, refused);
    }

    /// <summary>
    /// Counted downloads per package version, whole days from their rollup (whole after retention), part days at the
    /// ends of an API period from the events; the most downloaded first, ties by package and version as before.
    /// </summary>
    private static async Task<IReadOnlyList<PackageDownloads>> TopPackagesAsync(AppDbContext db, UsageScope scope, PeriodDays days,
        CancellationToken cancellationToken)
    {
        var wholeDays = await scope.Apply(days.Apply(db.Set<TokenDailyPackageDownload>().AsNoTracking()))
            .GroupBy(p => new { p.Package, p.Version })
            .Select(g => new { g.Key.Package, g.Key.Version, Downloads = g.Sum(p => p.Downloads) })
            .ToListAsync(cancellationToken);
        var partDays = await scope.Apply(days.ApplyToParts(db.Set<DownloadEvent>().AsNoTracking()))
            .Where(e => e.Counted)
            .GroupBy(e => new { e.Package, e.Version })
            .Select(g => new { g.Key.Package, g.Key.Version, Downloads = g.LongCount() })
            .ToListAsync(cancellationToken);
        return wholeDays.Select(p => (Package: DailyRollups.OrNull(p.Package), Version: DailyRollups.OrNull(p.Version), p.Downloads))
            .Concat(partDays.Select(p => (p.Package, p.Version, p.Downloads)))
            .GroupBy(p => (p.Package, p.Version))
            .Select(g => new PackageDownloads(g.Key.Package, g.Key.Version, g.Sum(p => p.Downloads)))
            // Ordinal with null first: the order the database gave when it sorted the events.
            .OrderByDescending(p => p.Downloads).ThenBy(p => p.Package, StringComparer.Ordinal).ThenBy(p => p.Version, StringComparer.Ordinal)
            .Take(TopPackageCount)
            .ToList();
    }

    /// <summary>Refused attempts (4xx) by reason, from the refusal rollup and the part days' events; a flood summary counts all it stands for.</summary>
    private static async Task<IReadOnlyList<RefusedCount>> RefusedAsync(AppDbContext db, UsageScope scope, PeriodDays days,
        CancellationToken cancellationToken)
    {
        var wholeDays = await scope.Apply(days.Apply(db.Set<TokenDailyRefusal>().AsNoTracking()))
            .Where(r => r.Status >= 400 && r.Status < 500)
            .GroupBy(r => r.Reason)
            .Select(g => new { Reason = g.Key, Count = g.Sum(r => r.Attempts) })
            .ToListAsync(cancellationToken);
        var partDays = await scope.Apply(days.ApplyToParts(db.Set<DownloadEvent>().AsNoTracking()))
            .Where(e => e.Status >= 400 && e.Status < 500)
            .GroupBy(e => e.Reason)
            .Select(g => new { Reason = g.Key, Count = g.Sum(e => (long)e.Attempts) })
            .ToListAsync(cancellationToken);
        return wholeDays.Select(r => (Reason: DailyRollups.OrNull(r.Reason), r.Count))
            .Concat(partDays.Select(r => (r.Reason, r.Count)))
            .GroupBy(r => r.Reason)
            .Select(g => new RefusedCount(g.Key, g.Sum(r => r.Count)))
            .OrderByDescending(r => r.Count).ThenBy(r => r.Reason, StringComparer.Ordinal)
            .ToList();
    }

    private static void EnsureCanRead(Actor actor)
    {
        PermissionCheck.Ensure(actor, Permission.ViewDownloadHistory);
    }
}
