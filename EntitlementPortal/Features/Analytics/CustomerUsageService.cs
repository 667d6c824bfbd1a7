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
/// What one customer's tokens, or one token (see <see cref="UsageScope"/>), did over a period: downloads and bytes
/// from the daily rollup (whole after retention), clients, last download, top packages and refusals from the
/// download events still kept.
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

        return new UsageReport(downloads, clients, bytes, last?.At, last?.ClientIp, byDay,
            topPackages.Select(p => new PackageDownloads(p.Package, p.Version, p.Downloads)).ToList(),
            refused.Select(r => new RefusedCount(r.Reason, r.Count)).ToList());
    }

    private static void EnsureCanRead(Actor actor)
    {
        PermissionCheck.Ensure(actor, Permission.ViewDownloadHistory);
    }
}
