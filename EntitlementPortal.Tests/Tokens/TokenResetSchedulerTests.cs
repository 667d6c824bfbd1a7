using EntitlementPortal.Data;
using EntitlementPortal.Features.Audit;
using EntitlementPortal.Features.Downloads;
using EntitlementPortal.Features.Tokens;
using EntitlementPortal.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace EntitlementPortal.Tests.Tokens;

public sealed class TokenResetSchedulerTests : TokenServiceTestBase
{
    private const string ResetLogged = "Reset the usage of 1 tokens on schedule.";

    [Fact]
    public async Task The_background_service_applies_resets_as_the_clock_passes_the_due_time()
    {
        var created = await TokenEditor.CreateAsync(TestDatabase.Administrator, "alpha", new TokenInput { Name = "Daily", ResetPeriod = ResetPeriod.Daily }, Ct);
        await SetDownloadsAsync(created.Id, 9);
        var scheduler = SchedulerOf(Services);

        await scheduler.StartAsync(Ct);
        try
        {
            Assert.Equal(9, (await UsageAsync(created.Id)).Downloads);
            Clock.Advance(TimeSpan.FromDays(1));
            Clock.Advance(TokenResetScheduler.DefaultInterval);

            Assert.Equal(ResetLogged, await Logs.NextAsync(Ct));
        }
        finally
        {
            await scheduler.StopAsync(Ct);
        }
        var after = await TokenQueries.GetAsync(TestDatabase.Administrator, "alpha", created.Id, Ct);
        Assert.Equal(0, after.Downloads);
        Assert.Equal(Clock.GetUtcNow().UtcDateTime.Date.AddDays(1).AddHours(12), after.NextResetAt);
    }

    [Fact]
    public async Task Two_instances_reset_once_per_period_and_never_zero_usage_counted_after_the_reset()
    {
        var start = Clock.GetUtcNow().UtcDateTime;
        var created = await TokenEditor.CreateAsync(TestDatabase.Administrator, "alpha", new TokenInput { Name = "Daily", ResetPeriod = ResetPeriod.Daily }, Ct);
        Assert.Null(await CountDownloadAsync(Services, created.Id, "198.51.100.1"));
        var otherClock = new FakeTimeProvider(Clock.GetUtcNow());
        var otherLogs = LogCapture.For<TokenResetScheduler>();
        var hold = new TransactionHold();
        var other = AddHost(otherClock, otherLogs, hold);
        var scheduler = SchedulerOf(Services);
        var otherScheduler = SchedulerOf(other);
        await scheduler.StartAsync(Ct);

        // The other instance's clock passes the due time first: its first round reads the due token and is held
        // just before it writes anything.
        otherClock.Advance(TimeSpan.FromDays(1) + TokenResetScheduler.DefaultInterval);
        var otherStarted = hold.RunAsync(() => otherScheduler.StartAsync(Ct));
        try
        {
            await hold.WaitUntilReachedAsync(work: null, Ct);

            // This instance resets the token, and a download is counted in the new period.
            Clock.Advance(TimeSpan.FromDays(1));
            Clock.Advance(TokenResetScheduler.DefaultInterval);
            Assert.Equal(ResetLogged, await Logs.NextAsync(Ct));
            Assert.Null(await CountDownloadAsync(Services, created.Id, "198.51.100.2"));
        }
        finally
        {
            hold.Release();
        }

        // The other instance goes on with the due time it read, which is no longer the token's.
        Assert.Equal("Left 1 due tokens alone: another instance reset them first, or they changed meanwhile.", await otherLogs.NextAsync(Ct));
        await otherStarted;
        await otherScheduler.StopAsync(Ct);
        await scheduler.StopAsync(Ct);

        var usage = await UsageAsync(created.Id);
        Assert.Equal((1L, 1, 100L), (usage.Downloads, usage.Clients, usage.BandwidthBytes));
        Assert.Equal(start.AddDays(2), usage.NextResetAt);
        await using var db = Database.OpenContext();
        Assert.Equal(["198.51.100.2"], await db.Set<TokenClient>().Where(c => c.TokenId == created.Id).Select(c => c.ClientIp).ToListAsync(Ct));
        Assert.Equal(1, await db.Set<TokenFileDownload>().CountAsync(f => f.TokenId == created.Id, Ct));
        Assert.Equal(1, await db.Set<AuditEntry>().CountAsync(e => e.EntityType == AuditEntityTypes.Token
            && e.EntityId == created.Id.ToString() && e.Summary.StartsWith("Scheduled daily reset"), Ct));
    }

    private static TokenResetScheduler SchedulerOf(IServiceProvider host) =>
        host.GetServices<IHostedService>().OfType<TokenResetScheduler>().Single();

    private static readonly ServiceProvider Metrics = new ServiceCollection().AddMetrics().BuildServiceProvider();

    /// <summary>A whole-file download of 100 bytes by a new client, counted the way the download endpoint counts it.</summary>
    private async Task<AccessRefusal?> CountDownloadAsync(IServiceProvider host, int tokenId, string clientIp)
    {
        var batch = new UsageBatch(host.GetRequiredService<IDbContextFactory<AppDbContext>>(),
            new DatabaseWriteGate(new DatabaseSettings(DatabaseProvider.Sqlite, Database.ConnectionString, Path.GetTempPath())),
            new DownloadMetrics(Metrics.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>()),
            host.GetRequiredService<TimeProvider>(), NullLogger<UsageBatch>.Instance);
        var fileKey = UsageLedger.FileKey("alpha", "tool", "1.0", "tool.zip");
        var verdicts = await batch.CommitAsync([new UsageItem(tokenId, clientIp, fileKey, new UsageClaim(IsDownload: true, IsRange: false, Bytes: 100))], Ct);
        return Assert.Single(verdicts).Refusal;
    }

    private async Task SetDownloadsAsync(int id, long downloads)
    {
        await using var db = Database.OpenContext();
        await db.Set<EntitlementToken>().Where(t => t.Id == id).ExecuteUpdateAsync(s => s.SetProperty(t => t.Downloads, downloads), Ct);
    }

    private async Task<EntitlementToken> UsageAsync(int id)
    {
        await using var db = Database.OpenContext();
        return await db.Set<EntitlementToken>().AsNoTracking().SingleAsync(t => t.Id == id, Ct);
    }
}
