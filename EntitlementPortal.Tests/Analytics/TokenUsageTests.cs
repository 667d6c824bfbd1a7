using EntitlementPortal.Features.Analytics;
using EntitlementPortal.Features.Shared;
using EntitlementPortal.Features.Tokens;
using EntitlementPortal.Identity;
using EntitlementPortal.Tests.Downloads;
using EntitlementPortal.Tests.Support;
using EntitlementPortal.Tests.Tokens;
using Microsoft.Extensions.DependencyInjection;

namespace EntitlementPortal.Tests.Analytics;

public sealed class TokenUsageTests : TokenServiceTestBase
{
    private static readonly DateTime Day = new(2026, 11, 20, 8, 0, 0, DateTimeKind.Utc);

    private CustomerUsageService Usage => Services.GetRequiredService<CustomerUsageService>();

    private async Task<(int Mine, int Sibling)> SeedAsync()
    {
        var mine = (await TokenEditor.CreateAsync(TestDatabase.Administrator, "alpha", new TokenInput { Name = "Mine", CustomerId = CustomerId }, Ct)).Id;
        // The same customer's other token: the customer's usage counts it, the token's must not.
        var sibling = (await TokenEditor.CreateAsync(TestDatabase.Administrator, "alpha", new TokenInput { Name = "Sibling", CustomerId = CustomerId }, Ct)).Id;
        var flood = HistoryRows.Refused(Day.AddHours(6), "too_many_failures", tokenId: mine, customerId: CustomerId, status: 429);
        flood.Attempts = 25;
        var resumed = HistoryRows.Served(Day.AddDays(1).AddHours(1), tokenId: mine, customerId: CustomerId, bytes: 40, clientIp: "198.51.100.3", counted: false);
        resumed.Status = 206;
        await using var db = Database.OpenContext();
        await HistoryRows.AddAsync(db,
            HistoryRows.Served(Day, tokenId: mine, customerId: CustomerId, bytes: 1_000),
            HistoryRows.Served(Day.AddHours(1), tokenId: mine, customerId: CustomerId, bytes: 1_000, clientIp: "198.51.100.2"),
            HistoryRows.Served(Day.AddDays(1), tokenId: mine, customerId: CustomerId, bytes: 500, package: "acme-cli", version: "1.0.0", clientIp: "198.51.100.2"),
            resumed,
            HistoryRows.Refused(Day.AddHours(3), "download_limit", tokenId: mine, customerId: CustomerId),
            HistoryRows.Refused(Day.AddDays(1).AddHours(3), "download_limit", tokenId: mine, customerId: CustomerId),
            HistoryRows.Refused(Day.AddHours(5), "ip_not_allowed", tokenId: mine, customerId: CustomerId),
            flood,
            // Outside the period, and the sibling's own downloads and refusals.
            HistoryRows.Served(Day.AddDays(-30), tokenId: mine, customerId: CustomerId, bytes: 999),
            HistoryRows.Served(Day, tokenId: sibling, customerId: CustomerId, bytes: 7_000, clientIp: "203.0.113.7"),
            HistoryRows.Refused(Day, "package_not_allowed", tokenId: sibling, customerId: CustomerId));
        return (mine, sibling);
    }

    [Fact]
    public async Task Token_usage_counts_only_that_token_per_day_with_top_packages_and_refusals_by_reason()
    {
        var (mine, _) = await SeedAsync();

        var usage = await Usage.GetForTokenAsync(TestDatabase.Administrator, "alpha", mine, new AnalyticsPeriod(Day.AddDays(-1), Day.AddDays(2)), Ct);

        Assert.Equal(3, usage.Downloads);
        Assert.Equal(2, usage.Clients);
        Assert.Equal(2_540, usage.BandwidthBytes);
        Assert.Equal(Day.AddDays(1), usage.LastDownloadAt);
        Assert.Equal("198.51.100.2", usage.LastClientIp);
        Assert.Equal([new DailyUsage(new DateOnly(2026, 11, 20), 2, 2_000), new DailyUsage(new DateOnly(2026, 11, 21), 1, 540)], usage.ByDay);
        Assert.Equal([new PackageDownloads("acme-agent", "2.1.0", 2), new PackageDownloads("acme-cli", "1.0.0", 1)], usage.TopPackages);
        Assert.Equal([new RefusedCount("too_many_failures", 25), new RefusedCount("download_limit", 2), new RefusedCount("ip_not_allowed", 1)], usage.Refused);
    }

    [Fact]
    public async Task The_customer_usage_still_sums_all_its_tokens()
    {
        await SeedAsync();

        var usage = await Usage.GetAsync(TestDatabase.Administrator, UsageScope.ForCustomer(CustomerId), new AnalyticsPeriod(Day.AddDays(-1), Day.AddDays(2)), Ct);

        Assert.Equal((4L, 3, 9_540L), (usage.Downloads, usage.Clients, usage.BandwidthBytes));
        Assert.Contains(new RefusedCount("package_not_allowed", 1), usage.Refused);
    }

    [Fact]
    public async Task Whoever_may_see_the_token_may_see_its_usage_and_nobody_else()
    {
        var (mine, _) = await SeedAsync();
        var period = new AnalyticsPeriod();

        var manager = await Usage.GetAsync(TestDatabase.ActorWith("am@example.com", Roles.AccountManager), UsageScope.ForToken("alpha", mine), period, Ct);
        var tokenManager = await Usage.GetForTokenAsync(TestDatabase.ActorWith("bot@example.com", Roles.TokenManager), "alpha", mine, period, Ct);

        Assert.Equal((4L, 3_539L), (manager.Downloads, manager.BandwidthBytes));
        Assert.Equal((4L, 3_539L), (tokenManager.Downloads, tokenManager.BandwidthBytes));
        // A member without a role cannot see the private repository's tokens at all.
        await Assert.ThrowsAsync<NotFoundException>(() => Usage.GetForTokenAsync(TestDatabase.ActorWith("member@example.com"), "alpha", mine, period, Ct));
        // A token is read in its own repository only, and an unknown one is not found.
        await Assert.ThrowsAsync<NotFoundException>(() => Usage.GetForTokenAsync(TestDatabase.Administrator, "beta", mine, period, Ct));
        await Assert.ThrowsAsync<NotFoundException>(() => Usage.GetForTokenAsync(TestDatabase.Administrator, "alpha", 4242, period, Ct));
    }

    [Fact]
    public async Task A_repository_writer_without_a_history_role_sees_the_token_but_not_its_usage()
    {
        var (mine, _) = await SeedAsync();
        var data = new EntitlementPortal.Tests.Repositories.PrivilegeTestData(Database, Services);
        var writer = await data.UserAsync("wes@example.com");
        await data.GrantUserAsync("alpha", "wes@example.com", EntitlementPortal.Features.Repositories.Privileges.RepositoryPrivilege.Write);

        Assert.Equal("Mine", (await TokenQueries.GetAsync(writer, "alpha", mine, Ct)).Name);
        // Client addresses and refusals are download history, read only with a role that reads it.
        await Assert.ThrowsAsync<ForbiddenException>(() => Usage.GetForTokenAsync(writer, "alpha", mine, new AnalyticsPeriod(), Ct));
    }

    [Fact]
    public async Task A_token_without_downloads_has_empty_usage()
    {
        var idle = (await CreateAsync(name: "Idle")).Id;

        var usage = await Usage.GetForTokenAsync(TestDatabase.Administrator, "alpha", idle, new AnalyticsPeriod(), Ct);

        Assert.Equal((0L, 0, 0L, (DateTime?)null), (usage.Downloads, usage.Clients, usage.BandwidthBytes, usage.LastDownloadAt));
        Assert.Empty(usage.ByDay);
        Assert.Empty(usage.TopPackages);
        Assert.Empty(usage.Refused);
    }
}
