using EntitlementPortal.Data;
using EntitlementPortal.Features.Downloads;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace EntitlementPortal.Tests.Data;

public sealed class DownloadHistoryMigrationTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Events_stored_before_the_rollup_existed_are_marked_counted_and_summed_per_token_and_day()
    {
        using var directory = new Support.TempDirectory();
        await using var db = DesignTimeOptions.CreateSqlite($"Data Source={directory.File("old.db")};Pooling=False");
        var migrator = db.GetService<IMigrator>();
        await migrator.MigrateAsync("UserProfiles", Ct);
        const string insert = """
            INSERT INTO "DownloadEvents" ("At", "Repo", "Filename", "TokenId", "AuthMethod", "Status", "Bytes", "Attempts") VALUES
              ('2026-11-20 08:00:00', 'acme', 'a.tar.gz', 7, 'TokenInPath', 200, 100, 1),
              ('2026-11-20 09:30:00.1234567', 'acme', 'a.tar.gz', 7, 'TokenInPath', 200, 100, 1),
              ('2026-11-20 10:00:00', 'acme', 'a.tar.gz', 7, 'TokenInPath', 206, 40, 1),
              ('2026-11-20 11:00:00', 'acme', 'a.tar.gz', 7, 'TokenInPath', 403, 0, 1),
              ('2026-11-21 00:00:01', 'acme', 'a.tar.gz', 7, 'TokenInPath', 200, 100, 1),
              ('2026-11-20 08:00:00', 'acme', NULL, 8, 'TokenInPath', 200, 900, 1),
              ('2026-11-20 08:00:00', 'acme', 'a.tar.gz', NULL, 'None', 200, 100, 1)
            """;
        await db.Database.ExecuteSqlRawAsync(insert, Ct);

        await db.Database.MigrateAsync(Ct);

        var rollup = await db.Set<TokenDailyUsage>().OrderBy(u => u.TokenId).ThenBy(u => u.Day).ToListAsync(Ct);
        Assert.Equal([(7, new DateTime(2026, 11, 20), 2L, 240L), (7, new DateTime(2026, 11, 21), 1L, 100L)],
            rollup.Select(u => (u.TokenId, u.Day, u.Downloads, u.Bytes)));
        Assert.Equal(3, await db.Set<DownloadEvent>().CountAsync(e => e.Counted, Ct));
        // The rollup's days are the same values new writes look up: an update finds the migrated row.
        var day = new DateTime(2026, 11, 20, 0, 0, 0, DateTimeKind.Utc);
        Assert.Equal(1, await db.Set<TokenDailyUsage>().Where(u => u.TokenId == 7 && u.Day == day)
            .ExecuteUpdateAsync(s => s.SetProperty(u => u.Downloads, u => u.Downloads + 1), Ct));
    }
}
