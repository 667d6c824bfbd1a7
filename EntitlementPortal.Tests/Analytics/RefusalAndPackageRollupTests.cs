using EntitlementPortal.Data;
using EntitlementPortal.Features.Analytics;
using EntitlementPortal.Features.Dashboard;
using EntitlementPortal.Features.Downloads;
using EntitlementPortal.Features.Tokens;
using EntitlementPortal.Tests.Downloads;
using EntitlementPortal.Tests.Support;
using EntitlementPortal.Tests.Tokens;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace EntitlementPortal.Tests.Analytics;

/// <summary>
/// The refusal and package rollups are written by the live store with the events and equal what the events add up
/// to; retention deletes the events and leaves the rollups, so refusals by reason and the top packages stay as they were.
/// </summary>
public sealed class RefusalAndPackageRollupTests : TokenServiceTestBase
{
    // The fixture's clock is 2026-11-30 12:00 UTC; the dashboard's window starts on 2026-11-01.
    private static readonly DateTime Old = new(2026, 11, 2, 10, 0, 0, DateTimeKind.Utc);
    private static readonly DateTime Recent = new(2026, 11, 28, 15, 0, 0, DateTimeKind.Utc);

    private sealed record Figures(IReadOnlyList<PackageDownloads> TopPackages, IReadOnlyList<RefusedCount> Refused,
        IReadOnlyList<RefusedCount> RefusedSinceNoon, IReadOnlyList<RefusalCount> Dashboard, long DashboardRefused);

    private async Task<Figures> ReadAsync()
    {
        var usage = Services.GetRequiredService<CustomerUsageService>();
        var all = await usage.GetAsync(TestDatabase.Administrator, CustomerId, new AnalyticsPeriod(), Ct);
        // A period starting at noon: the first day is a part day, read from the events.
        var sinceNoon = await usage.GetAsync(TestDatabase.Administrator, CustomerId, new AnalyticsPeriod(Old.Date.AddHours(12), null), Ct);
        var dashboard = await Services.GetRequiredService<DashboardService>().GetAsync(TestDatabase.Administrator, Ct);
        return new Figures(all.TopPackages, all.Refused, sinceNoon.Refused, dashboard.RefusalsByReason, dashboard.Refused);
    }

    private DownloadEventStore Store => new(Services.GetRequiredService<IDbContextFactory<AppDbContext>>(),
        Services.GetRequiredService<EntitlementPortal.Features.Webhooks.DownloadRefusalWebhooks>());

    private async Task<int> StoreHistoryAsync()
    {
        var mine = (await TokenEditor.CreateAsync(TestDatabase.Administrator, "alpha", new TokenInput { Name = "Mine", CustomerId = CustomerId }, Ct)).Id;
        var flood = Enumerable.Range(0, 3)
            .Select(i => HistoryRows.Refused(Old.AddSeconds(i), "too_many_failures", customerId: CustomerId, status: 429, clientIp: "203.0.113.9"));
        var failed = HistoryRows.Refused(Recent, "storage_unavailable", tokenId: mine, customerId: CustomerId, status: 503);
        var noReason = HistoryRows.Refused(Recent.AddMinutes(1), "x", tokenId: mine, customerId: CustomerId);
        noReason.Reason = null;
        await Store.StoreAsync(
        [
            HistoryRows.Served(Old, tokenId: mine, customerId: CustomerId),
            HistoryRows.Served(Old.AddHours(1), tokenId: mine, customerId: CustomerId, package: "acme-cli", version: "1.0.0"),
            HistoryRows.Served(Old.AddHours(13), tokenId: mine, customerId: CustomerId, package: "acme-cli", version: "1.0.0"),
            HistoryRows.Served(Old.AddHours(14), tokenId: mine, customerId: CustomerId, counted: false),
            HistoryRows.Refused(Old.AddHours(1), "download_limit", tokenId: mine, customerId: CustomerId),
            HistoryRows.Refused(Old.AddHours(3), "download_limit", tokenId: mine, customerId: CustomerId),
            HistoryRows.Refused(Old.AddHours(4), "token_unknown", status: 401),
            .. flood,
        ], Ct);
        // A second batch adds to the rows the first one made: another flood attempt in the same minute, more refusals.
        await Store.StoreAsync(
        [
            HistoryRows.Refused(Old.AddSeconds(30), "too_many_failures", customerId: CustomerId, status: 429, clientIp: "203.0.113.9"),
            HistoryRows.Refused(Old.AddDays(1), "download_limit", tokenId: mine, customerId: CustomerId),
            HistoryRows.Served(Recent, tokenId: mine, customerId: CustomerId, package: "acme-cli", version: "1.0.0"),
            failed,
            noReason,
        ], Ct);
        return mine;
    }

    [Fact]
    public async Task The_rollups_equal_what_the_stored_events_add_up_to()
    {
        await StoreHistoryAsync();

        await using var db = Database.OpenContext();
        var events = await db.Set<DownloadEvent>().AsNoTracking().ToListAsync(Ct);
        var refusals = await db.Set<TokenDailyRefusal>().AsNoTracking().ToListAsync(Ct);
        var packages = await db.Set<TokenDailyPackageDownload>().AsNoTracking().ToListAsync(Ct);

        var expectedRefusals = events.Where(e => e.Status >= 400)
            .GroupBy(e => (e.TokenId ?? 0, e.At.Date, e.CustomerId ?? 0, e.Status, e.Reason ?? ""))
            .Select(g => (g.Key, Attempts: g.Sum(e => (long)e.Attempts))).OrderBy(r => r.ToString()).ToList();
        Assert.Equal(expectedRefusals,
            refusals.Select(r => ((r.TokenId, r.Day, r.CustomerId, r.Status, r.Reason), r.Attempts)).OrderBy(r => r.ToString()).ToList());
        var expectedPackages = events.Where(e => e.Counted)
            .GroupBy(e => (e.TokenId ?? 0, e.At.Date, e.CustomerId ?? 0, e.Package ?? "", e.Version ?? ""))
            .Select(g => (g.Key, Downloads: g.LongCount())).OrderBy(p => p.ToString()).ToList();
        Assert.Equal(expectedPackages,
            packages.Select(p => ((p.TokenId, p.Day, p.CustomerId, p.Package, p.Version), p.Downloads)).OrderBy(p => p.ToString()).ToList());
        // The flood is one summary row of 4 attempts, and its rollup row says 4 as well.
        Assert.Equal(4, Assert.Single(events, e => e.Status == 429).Attempts);
        Assert.Equal(4, Assert.Single(refusals, r => r.Status == 429).Attempts);
        Assert.Equal(6, refusals.Count);
    }

    [Fact]
    public async Task Refusals_by_reason_and_top_packages_are_unchanged_after_old_events_are_deleted()
    {
        await StoreHistoryAsync();
        var before = await ReadAsync();

        var pruner = new HistoryPruner(Services.GetRequiredService<IDbContextFactory<AppDbContext>>(),
            new DatabaseWriteGate(new DatabaseSettings(DatabaseProvider.Sqlite, Database.ConnectionString, Path.GetTempPath())));
        var pruned = await pruner.DeleteOlderThanAsync(Clock.GetUtcNow().UtcDateTime.AddDays(-7), Ct);

        Assert.Equal(9, pruned.Deleted);
        var after = await ReadAsync();
        foreach (var figures in new[] { before, after })
        {
            Assert.Equal([new PackageDownloads("acme-cli", "1.0.0", 3), new PackageDownloads("acme-agent", "2.1.0", 1)], figures.TopPackages);
            Assert.Equal([new RefusedCount("too_many_failures", 4), new RefusedCount("download_limit", 3), new RefusedCount(null, 1)], figures.Refused);
            // The dashboard counts every refusal from 400 up, with or without a token, the 503 included.
            Assert.Equal(
                [new RefusalCount("too_many_failures", 4), new RefusalCount("download_limit", 3), new RefusalCount(null, 1),
                 new RefusalCount("storage_unavailable", 1), new RefusalCount("token_unknown", 1)],
                figures.Dashboard);
            Assert.Equal(10, figures.DashboardRefused);
        }
        // From noon of the old day: the morning's refusal and the flood are outside; the afternoon's refusal (a part
        // day, read from the events), the next day's and the recent one are in. Retention takes the part day's event.
        Assert.Equal([new RefusedCount("download_limit", 2), new RefusedCount(null, 1)], before.RefusedSinceNoon);
        Assert.Equal([new RefusedCount(null, 1), new RefusedCount("download_limit", 1)], after.RefusedSinceNoon);
    }
}
