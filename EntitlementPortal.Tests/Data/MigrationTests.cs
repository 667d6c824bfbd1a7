using EntitlementPortal.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace EntitlementPortal.Tests.Data;

public sealed class MigrationTests
{
    [Fact]
    public void Sqlite_model_has_no_pending_changes()
    {
        using var db = DesignTimeOptions.CreateSqlite("Data Source=:memory:");
        Assert.False(db.Database.HasPendingModelChanges(),
            "The SQLite migrations are behind the model: run dotnet ef migrations add for SqliteAppDbContext.");
    }

    [Fact]
    public void SqlServer_model_has_no_pending_changes()
    {
        using var db = DesignTimeOptions.CreateSqlServer();
        Assert.False(db.Database.HasPendingModelChanges(),
            "The SQL Server migrations are behind the model: run dotnet ef migrations add for SqlServerAppDbContext.");
    }

    [Fact]
    public void Both_providers_have_the_same_migrations_in_the_same_order()
    {
        using var sqlite = DesignTimeOptions.CreateSqlite("Data Source=:memory:");
        using var sqlServer = DesignTimeOptions.CreateSqlServer();

        static IEnumerable<string> Names(DbContext db) => db.Database.GetMigrations().Select(id => id[(id.IndexOf('_') + 1)..]);

        Assert.NotEmpty(Names(sqlite));
        Assert.Equal(Names(sqlite), Names(sqlServer));
    }

    [Fact]
    public void SqlServer_idempotent_script_creates_every_table_guarded_by_the_history()
    {
        using var db = DesignTimeOptions.CreateSqlServer();
        var script = db.GetService<IMigrator>().GenerateScript(options: MigrationsSqlGenerationOptions.Idempotent);

        Assert.Contains("IF NOT EXISTS", script);
        Assert.Contains("[__EFMigrationsHistory]", script);
        foreach (var table in db.Model.GetEntityTypes().Select(e => e.GetTableName()).Where(t => t is not null).Distinct())
        {
            Assert.Contains($"CREATE TABLE [{table}]", script);
        }
    }

    [Fact]
    public async Task Sqlite_migrations_apply_to_an_empty_file_and_create_every_table()
    {
        using var directory = new Support.TempDirectory();
        await using var db = DesignTimeOptions.CreateSqlite($"Data Source={directory.File("fresh.db")};Pooling=False");

        await db.Database.MigrateAsync(TestContext.Current.CancellationToken);

        Assert.Empty(await db.Database.GetPendingMigrationsAsync(TestContext.Current.CancellationToken));
        Assert.Equal(0, await db.Users.CountAsync(TestContext.Current.CancellationToken));
        Assert.Equal(0, await db.DataProtectionKeys.CountAsync(TestContext.Current.CancellationToken));
    }
}
