using EntitlementPortal.Data;
using EntitlementPortal.Features.Downloads;
using EntitlementPortal.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace EntitlementPortal.Tests.Downloads;

public sealed class HistoryRetentionTests : IDisposable
{
    private const int OldEvents = 2_500;
    private const int RecentEvents = 10;
    private static readonly DateTime Now = new(2026, 6, 1, 12, 0, 0, DateTimeKind.Utc);

    private readonly TestDatabase database = new();
    private readonly ServiceProvider services;
    private readonly FakeTimeProvider clock = new(Now);
    private readonly LogCapture logs = LogCapture.For<HistoryRetention>();

    public HistoryRetentionTests()
    {
        services = database.BuildServices();
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Old_events_are_deleted_in_batches_and_recent_events_and_the_rollup_are_kept()
    {
        await SeedAsync();

        var round = await PrunerOf().DeleteOlderThanAsync(Now.AddDays(-30), Ct);

        Assert.Equal(new PruneRound(OldEvents, 3), round);
        await using var db = database.OpenContext();
        Assert.Equal(RecentEvents, await db.Set<DownloadEvent>().CountAsync(Ct));
        Assert.True(await db.Set<DownloadEvent>().AllAsync(e => e.At >= Now.AddDays(-30), Ct));
        Assert.Equal(2, await db.Set<TokenDailyUsage>().CountAsync(Ct));
        Assert.Equal(OldEvents + RecentEvents, await db.Set<TokenDailyUsage>().SumAsync(u => u.Downloads, Ct));
    }

    [Fact]
    public async Task Two_instances_deleting_at_once_delete_each_old_event_once_and_nothing_recent()
    {
        await SeedAsync();

        var rounds = await Task.WhenAll(
            PrunerOf().DeleteOlderThanAsync(Now.AddDays(-30), Ct), PrunerOf().DeleteOlderThanAsync(Now.AddDays(-30), Ct));

        Assert.Equal(OldEvents, rounds.Sum(r => r.Deleted));
        await using var db = database.OpenContext();
        Assert.Equal(RecentEvents, await db.Set<DownloadEvent>().CountAsync(Ct));
    }

    [Fact]
    public async Task The_background_service_deletes_at_start_and_again_as_the_clock_moves_on()
    {
        await SeedAsync();
        var retention = RetentionOf(days: 30);

        await retention.StartAsync(Ct);
        try
        {
            Assert.Equal($"Deleted {OldEvents} download events older than 30 days in 3 batches.", await logs.NextAsync(Ct));
            Assert.Equal(RecentEvents, await CountAsync());

            // The recent events (5 days old) pass the 30 days after 26 more days.
            clock.Advance(TimeSpan.FromDays(26));
            Assert.Equal($"Deleted {RecentEvents} download events older than 30 days in 1 batches.", await logs.NextAsync(Ct));
        }
        finally
        {
            await retention.StopAsync(Ct);
        }
        Assert.Equal(0, await CountAsync());
        await using var db = database.OpenContext();
        Assert.Equal(OldEvents + RecentEvents, await db.Set<TokenDailyUsage>().SumAsync(u => u.Downloads, Ct));
    }

    [Fact]
    public async Task Without_a_retention_setting_every_event_is_kept()
    {
        await SeedAsync();
        var retention = RetentionOf(days: null);

        await retention.StartAsync(Ct);
        await retention.ExecuteTask!;
        await retention.StopAsync(Ct);

        Assert.Equal(OldEvents + RecentEvents, await CountAsync());
    }

    private HistoryPruner PrunerOf() => new(
        services.GetRequiredService<IDbContextFactory<AppDbContext>>(),
        new DatabaseWriteGate(new DatabaseSettings(DatabaseProvider.Sqlite, database.ConnectionString, Path.GetTempPath())));

    private HistoryRetention RetentionOf(int? days)
    {
        var loggers = new LoggerFactory([logs]);
        return new HistoryRetention(PrunerOf(), Options.Create(new HistoryOptions { RetentionDays = days }), clock,
            loggers.CreateLogger<HistoryRetention>());
    }

    private async Task<int> CountAsync()
    {
        await using var db = database.OpenContext();
        return await db.Set<DownloadEvent>().CountAsync(Ct);
    }

    /// <summary>Old events first (lower ids), as the live path writes them; one rollup row per day they were counted on.</summary>
    private async Task SeedAsync()
    {
        await using var db = database.OpenContext();
        var old = Now.AddDays(-40);
        var recent = Now.AddDays(-5);
        db.AddRange(Enumerable.Range(0, OldEvents).Select(i => Event(old.AddSeconds(i))));
        db.AddRange(Enumerable.Range(0, RecentEvents).Select(i => Event(recent.AddSeconds(i))));
        db.AddRange(
            new TokenDailyUsage { TokenId = 1, Day = old.Date, Downloads = OldEvents, Bytes = OldEvents * 100L },
            new TokenDailyUsage { TokenId = 1, Day = recent.Date, Downloads = RecentEvents, Bytes = RecentEvents * 100L });
        await db.SaveChangesAsync(Ct);
    }

    private static DownloadEvent Event(DateTime at) => new()
    {
        At = at, Repo = "alpha", Package = "acme-agent", Version = "1.0.0", Filename = "acme-agent.tar.gz", TokenId = 1,
        Status = 200, Bytes = 100, Counted = true, ClientIp = "203.0.113.9",
    };

    public void Dispose()
    {
        logs.Dispose();
        services.Dispose();
        database.Dispose();
    }
}
