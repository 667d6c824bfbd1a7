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
/// Per-day charts and usage totals read the daily rollup, so deleting old events (History:RetentionDays) leaves
/// every figure of a token's whole life as it was. Events are written by the live store, which keeps the rollup.
/// </summary>
public sealed class UsageAfterRetentionTests : TokenServiceTestBase
{
    // The fixture's clock is 2026-11-30 12:00 UTC.
    private static readonly DateTime Old = new(2026, 9, 21, 10, 0, 0, DateTimeKind.Utc);
    private static readonly DateTime Recent = new(2026, 11, 28, 15, 0, 0, DateTimeKind.Utc);

    private sealed record Figures(
        RepositoryMetrics AllTime, RepositoryMetrics SinceOldDay, long CustomerDownloads, long CustomerBytes,
        DailyUsage[] CustomerByDay, DailyUsage[] TokenByDay, DailyUsage[] CustomerByDayLast90);

    private async Task<Figures> ReadAsync(int tokenId)
    {
        var metrics = Services.GetRequiredService<RepositoryMetricsService>();
        var usage = Services.GetRequiredService<CustomerUsageService>();
        var history = Services.GetRequiredService<DownloadHistoryService>();
        var all = await usage.GetAsync(TestDatabase.Administrator, CustomerId, new AnalyticsPeriod(), Ct);
        var last90 = await usage.GetAsync(TestDatabase.Administrator, CustomerId, PeriodSelect.PeriodOf(90, Clock), Ct);
        return new Figures(
            await metrics.GetAsync(TestDatabase.Administrator, "alpha", new AnalyticsPeriod(), cancellationToken: Ct),
            await metrics.GetAsync(TestDatabase.Administrator, "alpha", new AnalyticsPeriod(Old.Date, null), cancellationToken: Ct),
            all.Downloads, all.BandwidthBytes, [.. all.ByDay],
            [.. await history.DailyUsageAsync(TestDatabase.Administrator, tokenId, Ct)],
            [.. last90.ByDay]);
    }

    [Fact]
    public async Task Metrics_usage_and_daily_charts_are_unchanged_after_old_events_are_deleted()
    {
        var mine = (await TokenEditor.CreateAsync(TestDatabase.Administrator, "alpha", new TokenInput { Name = "Mine", CustomerId = CustomerId }, Ct)).Id;
        var vendor = (await CreateAsync(name: "Vendor CI")).Id;
        var range = HistoryRows.Served(Old.AddHours(2), tokenId: mine, customerId: CustomerId, bytes: 40, counted: false);
        range.Status = 206;
        await new DownloadEventStore(Services.GetRequiredService<IDbContextFactory<AppDbContext>>(), Services.GetRequiredService<EntitlementPortal.Features.Webhooks.DownloadRefusalWebhooks>()).StoreAsync(
        [
            HistoryRows.Served(Old, tokenId: mine, customerId: CustomerId, bytes: 100),
            HistoryRows.Served(Old.AddHours(1), tokenId: mine, customerId: CustomerId, bytes: 100),
            range,
            HistoryRows.Served(Old, tokenId: vendor, bytes: 500),
            HistoryRows.Served(Recent, tokenId: mine, customerId: CustomerId, bytes: 100),
            HistoryRows.Refused(Recent.AddMinutes(5), "download_limit", tokenId: mine, customerId: CustomerId),
        ], Ct);
        var before = await ReadAsync(mine);

        var pruner = new HistoryPruner(Services.GetRequiredService<IDbContextFactory<AppDbContext>>(),
            new DatabaseWriteGate(new DatabaseSettings(DatabaseProvider.Sqlite, Database.ConnectionString, Path.GetTempPath())));
        var pruned = await pruner.DeleteOlderThanAsync(Clock.GetUtcNow().UtcDateTime.AddDays(-30), Ct);

        Assert.Equal(4, pruned.Deleted);
        await using (var db = Database.OpenContext())
        {
            Assert.Equal(2, await db.Set<DownloadEvent>().CountAsync(Ct));
        }
        var after = await ReadAsync(mine);
        DailyUsage[] customerDays = [new(DateOnly.FromDateTime(Old), 2, 240), new(DateOnly.FromDateTime(Recent), 1, 100)];
        foreach (var figures in new[] { before, after })
        {
            Assert.Equal(new TokenCounts(2, 0, 2), figures.AllTime.Tokens);
            // Mine: 3 counted downloads, 340 bytes (the range's 40 included); Vendor CI: 1 download, 500 bytes.
            Assert.Equal(new MetricSummary(4, 2, 1, 3), figures.AllTime.Downloads);
            Assert.Equal(new MetricSummary(840, 420, 340, 500), figures.AllTime.BandwidthBytes);
            Assert.Equal(figures.AllTime, figures.SinceOldDay);
            Assert.Equal((3L, 340L), (figures.CustomerDownloads, figures.CustomerBytes));
            Assert.Equal(customerDays, figures.CustomerByDay);
            Assert.Equal(customerDays, figures.TokenByDay);
            Assert.Equal(customerDays, figures.CustomerByDayLast90);
        }
    }
}
