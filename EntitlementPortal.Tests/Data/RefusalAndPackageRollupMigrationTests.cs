using EntitlementPortal.Data;
using EntitlementPortal.Features.Downloads;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace EntitlementPortal.Tests.Data;

public sealed class RefusalAndPackageRollupMigrationTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Events_stored_before_the_rollups_existed_are_summed_per_day_and_new_writes_find_the_rows()
    {
        using var directory = new Support.TempDirectory();
        await using var db = DesignTimeOptions.CreateSqlite($"Data Source={directory.File("old.db")};Pooling=False");
        await db.GetService<IMigrator>().MigrateAsync("TokenDailyUsageTokenIndex", Ct);
        const string insert = """
            INSERT INTO "DownloadEvents" ("At", "Repo", "Package", "Version", "Filename", "TokenId", "CustomerId", "AuthMethod", "Status", "Bytes", "Reason", "Counted", "Attempts") VALUES
              ('2026-11-20 08:00:00', 'acme', 'cli', '1.0', 'a.tar.gz', 7, 3, 'TokenInPath', 200, 100, NULL, 1, 1),
              ('2026-11-20 09:30:00.1234567', 'acme', 'cli', '1.0', 'a.tar.gz', 7, 3, 'TokenInPath', 200, 100, NULL, 1, 1),
              ('2026-11-20 10:00:00', 'acme', 'cli', '1.0', 'a.tar.gz', 7, 3, 'TokenInPath', 206, 40, NULL, 0, 1),
              ('2026-11-20 11:00:00', 'acme', 'cli', '1.0', 'a.tar.gz', 7, 3, 'TokenInPath', 403, 0, 'download_limit', 0, 1),
              ('2026-11-20 12:00:00', 'acme', 'cli', '1.0', 'a.tar.gz', 7, 3, 'TokenInPath', 403, 0, 'download_limit', 0, 1),
              ('2026-11-20 12:00:00', 'acme', NULL, NULL, NULL, NULL, NULL, 'None', 429, 0, 'too_many_failures', 0, 25),
              ('2026-11-20 13:00:00', 'acme', NULL, NULL, NULL, NULL, NULL, 'None', 401, 0, NULL, 0, 1),
              ('2026-11-21 00:00:01', 'acme', 'cli', '2.0', 'b.tar.gz', 7, 3, 'TokenInPath', 200, 100, NULL, 1, 1)
            """;
        await db.Database.ExecuteSqlRawAsync(insert, Ct);

        await db.Database.MigrateAsync(Ct);

        var refusals = await db.Set<TokenDailyRefusal>().OrderBy(r => r.Status).ToListAsync(Ct);
        var day = new DateTime(2026, 11, 20, 0, 0, 0, DateTimeKind.Utc);
        Assert.Equal([(0, day, 0, 401, "", 1L), (7, day, 3, 403, "download_limit", 2L), (0, day, 0, 429, "too_many_failures", 25L)],
            refusals.Select(r => (r.TokenId, r.Day, r.CustomerId, r.Status, r.Reason, r.Attempts)));
        var packages = await db.Set<TokenDailyPackageDownload>().OrderBy(p => p.Day).ToListAsync(Ct);
        Assert.Equal([(7, day, 3, "cli", "1.0", 2L), (7, day.AddDays(1), 3, "cli", "2.0", 1L)],
            packages.Select(p => (p.TokenId, p.Day, p.CustomerId, p.Package, p.Version, p.Downloads)));
        // The migrated days are the same values new writes look up: the live store adds to the migrated rows.
        await using var store = DesignTimeOptions.CreateSqlite($"Data Source={directory.File("old.db")};Pooling=False");
        await DailyRollups.AddAsync(store,
            new() { [new DailyRollups.RefusalKey(7, day, 3, 403, "download_limit")] = 1 },
            new() { [new DailyRollups.PackageKey(7, day, 3, "cli", "1.0")] = 1 }, Ct);
        Assert.Equal(3, await db.Set<TokenDailyRefusal>().Where(r => r.TokenId == 7).Select(r => r.Attempts).SingleAsync(Ct));
        Assert.Equal(3, await db.Set<TokenDailyPackageDownload>().Where(p => p.Day == day).Select(p => p.Downloads).SingleAsync(Ct));
        Assert.Equal(3, await db.Set<TokenDailyRefusal>().CountAsync(Ct));
    }
}
