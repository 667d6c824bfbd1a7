using EntitlementPortal.Data;
using EntitlementPortal.Features.Customers;
using EntitlementPortal.Features.Downloads;
using EntitlementPortal.Features.Permissions;
using EntitlementPortal.Features.Shared;
using EntitlementPortal.Features.Tokens;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace EntitlementPortal.Features.Dashboard;

/// <summary>
/// The last 30 days at a glance, for those who may read the download history. Downloads, bytes and refusals come
/// from the per-day rollups (cheap, and whole after old events are deleted). Reads only: nothing here changes a row.
/// </summary>
public sealed class DashboardService(IDbContextFactory<AppDbContext> dbFactory, IOptionsMonitor<PlanOptions> plan, TimeProvider clock)
{
    public const int TopCustomerCount = 5;
    public const int WatchListSize = 10;
    /// <summary>How far ahead the dashboard looks for tokens and subscriptions that end.</summary>
    public static readonly TimeSpan ExpirySoon = TimeSpan.FromDays(30);

    /// <summary>Whether the caller gets the figures (otherwise the start page); the table decides, as it does for the history.</summary>
    public static bool MayRead(Actor actor) => PermissionCheck.Allows(actor, Permission.ViewDownloadHistory);

    public async Task<DashboardSummary> GetAsync(Actor actor, CancellationToken cancellationToken = default)
    {
        PermissionCheck.Ensure(actor, Permission.ViewDownloadHistory);
        var now = clock.GetUtcNow().UtcDateTime;
        var window = DashboardWindow.EndingOn(DateOnly.FromDateTime(now));
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);

        // One pass over the window's rollup, per customer (the index covers it): the totals are the sum of the groups.
        var byCustomer = await db.Set<TokenDailyUsage>().AsNoTracking()
            .Where(u => u.Day >= window.Start)
            .GroupBy(u => u.CustomerId)
            .Select(g => new { CustomerId = g.Key, Downloads = g.Sum(u => u.Downloads), Bytes = g.Sum(u => u.Bytes) })
            .ToListAsync(cancellationToken);
        var downloads = byCustomer.Sum(c => c.Downloads);
        var bytes = byCustomer.Sum(c => c.Bytes);
        var customerIds = byCustomer.Where(c => c.CustomerId != null && c.Downloads > 0).Select(c => c.CustomerId!.Value).ToList();
        var names = await db.Set<Customer>().AsNoTracking().Where(c => customerIds.Contains(c.Id))
            .ToDictionaryAsync(c => c.Id, c => c.Name, cancellationToken);
        var topCustomers = byCustomer
            .Where(c => c.CustomerId is { } id && names.ContainsKey(id) && c.Downloads > 0)
            .Select(c => new CustomerDownloads(c.CustomerId!.Value, names[c.CustomerId.Value], c.Downloads, c.Bytes))
            .OrderByDescending(c => c.Downloads).ThenByDescending(c => c.Bytes).ThenBy(c => c.Name, StringComparer.Ordinal)
            .Take(TopCustomerCount)
            .ToList();

        // Refused is what the log's "refused" outcome shows (any status from 400), so the link lists what was counted.
        // The refusal rollup holds exactly those, per day: one pass over its (Day, Reason, …) index.
        var refusals = (await db.Set<TokenDailyRefusal>().AsNoTracking()
            .Where(r => r.Day >= window.Start)
            .GroupBy(r => r.Reason)
            .Select(g => new { Reason = g.Key, Attempts = g.Sum(r => r.Attempts) })
            .ToListAsync(cancellationToken))
            .Select(r => new RefusalCount(DailyRollups.OrNull(r.Reason), r.Attempts))
            .OrderByDescending(r => r.Attempts).ThenBy(r => r.Reason, StringComparer.Ordinal)
            .ToList();

        var active = await db.Set<EntitlementToken>()
            .CountAsync(t => t.IsActive && !t.IsDeleted && t.Kind == TokenKind.Standard, cancellationToken);

        return new DashboardSummary(window, downloads, bytes, refusals.Sum(r => r.Attempts),
            new TokenAllowance(active, plan.CurrentValue.MaxActiveTokens), topCustomers, refusals,
            await TokensToWatchAsync(db, now, cancellationToken))
        {
            SubscriptionsEnding = await SubscriptionsEndingAsync(db, now, cancellationToken),
        };
    }

    /// <summary>Customers (not revoked) whose subscription ends within <see cref="ExpirySoon"/>, soonest first.</summary>
    private static async Task<IReadOnlyList<SubscriptionEnding>> SubscriptionsEndingAsync(AppDbContext db, DateTime now, CancellationToken cancellationToken)
    {
        var soon = now + ExpirySoon;
        return await db.Set<Customer>().AsNoTracking()
            .Where(c => c.Status != CustomerStatus.Revoked && c.SubscriptionEndsAt != null && c.SubscriptionEndsAt >= now && c.SubscriptionEndsAt <= soon)
            .OrderBy(c => c.SubscriptionEndsAt).ThenBy(c => c.Name).ThenBy(c => c.Id)
            .Take(WatchListSize)
            .Select(c => new SubscriptionEnding(c.Id, c.Name, c.Plan, c.SubscriptionEndsAt!.Value,
                db.Set<EntitlementToken>().Count(t => t.CustomerId == c.Id && t.IsActive && !t.IsDeleted && t.Kind == TokenKind.Standard)))
            .ToListAsync(cancellationToken);
    }

    /// <summary>
    /// Active standard tokens that will stop serving soon: ending within 30 days, at 80 % of a download or
    /// bandwidth limit (integer arithmetic, so the database decides it exactly), or refusing new clients.
    /// </summary>
    private static async Task<IReadOnlyList<TokenToWatch>> TokensToWatchAsync(AppDbContext db, DateTime now, CancellationToken cancellationToken)
    {
        var soon = now + ExpirySoon;
        var rows = await db.Set<EntitlementToken>().AsNoTracking()
            .Where(t => t.Kind == TokenKind.Standard && t.IsActive && !t.IsDeleted)
            .Select(t => new
            {
                t.Id, Repo = t.Repository!.Slug, t.Name, t.CustomerId, CustomerName = t.Customer!.Name,
                t.LimitDateTo, t.Downloads, t.LimitDownloads, t.BandwidthBytes, t.LimitBandwidthBytes, t.Clients, t.LimitClients,
                Expires = t.LimitDateTo != null && t.LimitDateTo >= now && t.LimitDateTo <= soon,
                NearDownloads = t.LimitDownloads != null && t.Downloads * 5 >= t.LimitDownloads * 4,
                NearBandwidth = t.LimitBandwidthBytes != null && t.BandwidthBytes * 5 >= t.LimitBandwidthBytes * 4,
                ClientsFull = t.LimitClients != null && t.Clients >= t.LimitClients,
            })
            .Where(t => t.Expires || t.NearDownloads || t.NearBandwidth || t.ClientsFull)
            .OrderBy(t => t.LimitDateTo == null).ThenBy(t => t.LimitDateTo).ThenBy(t => t.Name).ThenBy(t => t.Id)
            .Take(WatchListSize)
            .ToListAsync(cancellationToken);
        return rows.Select(t => new TokenToWatch(t.Id, t.Repo, t.Name, t.CustomerId, t.CustomerName,
                (t.Expires ? TokenConcern.ExpiresSoon : 0) | (t.NearDownloads ? TokenConcern.NearDownloadLimit : 0)
                | (t.NearBandwidth ? TokenConcern.NearBandwidthLimit : 0) | (t.ClientsFull ? TokenConcern.ClientsAtLimit : 0),
                t.LimitDateTo, t.Downloads, t.LimitDownloads, t.BandwidthBytes, t.LimitBandwidthBytes, t.Clients, t.LimitClients))
            .ToList();
    }
}
