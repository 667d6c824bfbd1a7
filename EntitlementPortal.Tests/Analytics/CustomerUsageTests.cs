using EntitlementPortal.Features.Analytics;
using EntitlementPortal.Features.Shared;
using EntitlementPortal.Features.Tokens;
using EntitlementPortal.Tests.Downloads;
using EntitlementPortal.Tests.Support;
using EntitlementPortal.Tests.Tokens;
using Microsoft.Extensions.DependencyInjection;

namespace EntitlementPortal.Tests.Analytics;

public sealed class CustomerUsageTests : TokenServiceTestBase
{
    private static readonly DateTime Day = new(2026, 11, 20, 8, 0, 0, DateTimeKind.Utc);

    private CustomerUsageService Usage => Services.GetRequiredService<CustomerUsageService>();

    [Fact]
    public async Task Usage_counts_downloads_clients_bytes_per_day_top_packages_and_refusals_of_the_customer_only()
    {
        var mine = (await TokenEditor.CreateAsync(TestDatabase.Administrator, "alpha", new TokenInput { Name = "Mine", CustomerId = CustomerId }, Ct)).Id;
        var other = (await CreateAsync(name: "Other")).Id;
        var flood = HistoryRows.Refused(Day.AddHours(2), "too_many_failures", customerId: CustomerId, status: 429);
        flood.Attempts = 40;
        var resumed = HistoryRows.Served(Day.AddDays(1).AddHours(1), tokenId: mine, customerId: CustomerId, bytes: 30, clientIp: "198.51.100.2", counted: false);
        resumed.Status = 206;
        await using (var db = Database.OpenContext())
        {
            await HistoryRows.AddAsync(db,
                HistoryRows.Served(Day, tokenId: mine, customerId: CustomerId, bytes: 100),
                HistoryRows.Served(Day.AddHours(1), tokenId: mine, customerId: CustomerId, bytes: 100, package: "acme-cli", version: "1.0.0"),
                HistoryRows.Served(Day.AddDays(1), tokenId: mine, customerId: CustomerId, bytes: 100, clientIp: "198.51.100.2"),
                resumed,
                HistoryRows.Refused(Day.AddHours(3), "download_limit", tokenId: mine, customerId: CustomerId),
                HistoryRows.Refused(Day.AddHours(4), "download_limit", tokenId: mine, customerId: CustomerId),
                HistoryRows.Refused(Day.AddHours(5), "ip_not_allowed", tokenId: mine, customerId: CustomerId),
                flood,
                HistoryRows.Served(Day.AddDays(-30), tokenId: mine, customerId: CustomerId, bytes: 999),
                HistoryRows.Served(Day, tokenId: other, customerId: CustomerId + 1, bytes: 5000));
        }

        var usage = await Usage.GetAsync(TestDatabase.Administrator, CustomerId, new AnalyticsPeriod(Day.AddDays(-1), Day.AddDays(2)), Ct);

        Assert.Equal(3, usage.Downloads);
        Assert.Equal(2, usage.Clients);
        Assert.Equal(330, usage.BandwidthBytes);
        Assert.Equal(Day.AddDays(1), usage.LastDownloadAt);
        Assert.Equal("198.51.100.2", usage.LastClientIp);
        Assert.Equal([new DailyUsage(new DateOnly(2026, 11, 20), 2, 200), new DailyUsage(new DateOnly(2026, 11, 21), 1, 130)], usage.ByDay);
        Assert.Equal([new PackageDownloads("acme-agent", "2.1.0", 2), new PackageDownloads("acme-cli", "1.0.0", 1)], usage.TopPackages);
        Assert.Equal([new RefusedCount("too_many_failures", 40), new RefusedCount("download_limit", 2), new RefusedCount("ip_not_allowed", 1)], usage.Refused);
    }

    [Fact]
    public async Task A_customer_without_downloads_has_empty_usage_and_an_unknown_one_is_not_found()
    {
        var usage = await Usage.GetAsync(TestDatabase.Administrator, CustomerId, new AnalyticsPeriod(), Ct);

        Assert.Equal((0L, 0, 0L, (DateTime?)null, (string?)null), (usage.Downloads, usage.Clients, usage.BandwidthBytes, usage.LastDownloadAt, usage.LastClientIp));
        Assert.Empty(usage.ByDay);
        Assert.Empty(usage.TopPackages);
        Assert.Empty(usage.Refused);
        await Assert.ThrowsAsync<NotFoundException>(() => Usage.GetAsync(TestDatabase.Administrator, 4242, new AnalyticsPeriod(), Ct));
        await Assert.ThrowsAsync<ForbiddenException>(() => Usage.GetAsync(TestDatabase.ActorWith("dev@example.com"), CustomerId, new AnalyticsPeriod(), Ct));
    }
}
