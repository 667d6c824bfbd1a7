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
    public void PostgreSql_model_has_no_pending_changes()
    {
        using var db = DesignTimeOptions.CreatePostgreSql();
        Assert.False(db.Database.HasPendingModelChanges(),
            "The PostgreSQL migrations are behind the model: run dotnet ef migrations add for PostgreSqlAppDbContext.");
    }

    /// <summary>
    /// PostgreSQL support started from the schema as it stood at <see cref="LastMigrationBeforePostgreSql"/>: its first
    /// migration is that whole schema. Every later migration exists for all three providers, in the same order.
    /// </summary>
    private const string LastMigrationBeforePostgreSql = "WebhookNotices";
    private const string PostgreSqlBaseline = "InitialPostgreSql";

    private static List<string> Names(DbContext db) => db.Database.GetMigrations().Select(id => id[(id.IndexOf('_') + 1)..]).ToList();

    [Fact]
    public void Every_provider_has_the_same_migrations_in_the_same_order()
    {
        using var sqlite = DesignTimeOptions.CreateSqlite("Data Source=:memory:");
        using var sqlServer = DesignTimeOptions.CreateSqlServer();
        using var postgreSql = DesignTimeOptions.CreatePostgreSql();

        var sqliteNames = Names(sqlite);
        Assert.NotEmpty(sqliteNames);
        Assert.Equal(sqliteNames, Names(sqlServer));
        var sinceBaseline = sqliteNames.Skip(sqliteNames.IndexOf(LastMigrationBeforePostgreSql) + 1);
        Assert.Equal([PostgreSqlBaseline, .. sinceBaseline], Names(postgreSql));
    }

    [Fact]
    public void PostgreSql_baseline_follows_the_last_migration_it_includes()
    {
        using var sqlite = DesignTimeOptions.CreateSqlite("Data Source=:memory:");
        using var postgreSql = DesignTimeOptions.CreatePostgreSql();

        static string Stamp(DbContext db, string name) => db.Database.GetMigrations().Single(id => id.EndsWith("_" + name, StringComparison.Ordinal))[..14];

        Assert.Contains(LastMigrationBeforePostgreSql, Names(sqlite));
        Assert.True(string.CompareOrdinal(Stamp(postgreSql, PostgreSqlBaseline), Stamp(sqlite, LastMigrationBeforePostgreSql)) > 0,
            "The PostgreSQL baseline must sort after the migrations it contains, so later migrations keep one order everywhere.");
    }

    [Fact]
    public void PostgreSql_idempotent_script_creates_every_table_guarded_by_the_history()
    {
        using var db = DesignTimeOptions.CreatePostgreSql();
        var script = db.GetService<IMigrator>().GenerateScript(options: MigrationsSqlGenerationOptions.Idempotent);

        Assert.Contains("__EFMigrationsHistory", script);
        foreach (var table in db.Model.GetEntityTypes().Select(e => e.GetTableName()).Where(t => t is not null).Distinct())
        {
            Assert.Contains($"CREATE TABLE \"{table}\"", script);
        }
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
