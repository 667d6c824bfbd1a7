using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;

namespace EntitlementPortal.Data;

/// <summary>SQLite: the embedded default. Migrations in Data/Migrations/Sqlite.</summary>
public sealed class SqliteAppDbContext(DbContextOptions<SqliteAppDbContext> options) : AppDbContext(options);

/// <summary>SQL Server: the production provider. Migrations in Data/Migrations/SqlServer.</summary>
public sealed class SqlServerAppDbContext(DbContextOptions<SqlServerAppDbContext> options) : AppDbContext(options);

/// <summary>PostgreSQL: the server database the test suite runs for real. Migrations in Data/Migrations/PostgreSql.</summary>
public sealed class PostgreSqlAppDbContext(DbContextOptions<PostgreSqlAppDbContext> options) : AppDbContext(options)
{
    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        // Filters and check constraints are written as SQLite and SQL Server read them ([Kind] = 'User', UserId IS NULL).
        // PostgreSQL folds unquoted names to lower case and quotes with double quotes only.
        foreach (var entity in builder.Model.GetEntityTypes())
        {
            foreach (var index in entity.GetIndexes())
            {
                if (index.GetFilter() is { } filter)
                {
                    index.SetFilter(Regex.Replace(filter, @"\[(\w+)\]", "\"$1\""));
                }
            }
            var columns = entity.GetProperties().Select(p => p.GetColumnName()).ToHashSet(StringComparer.Ordinal);
            foreach (var check in entity.GetCheckConstraints().ToList())
            {
                var sql = Regex.Replace(check.Sql, @"(?<![""\w])(\w+)(?![""\w])", m => columns.Contains(m.Value) ? $"\"{m.Value}\"" : m.Value);
                entity.RemoveCheckConstraint(check.ModelName);
                entity.AddCheckConstraint(check.ModelName, sql).Name = check.Name;
            }
        }
    }
}

/// <summary>Hands out the provider's context as the provider-neutral <see cref="AppDbContext"/>.</summary>
internal sealed class AppDbContextFactory<TContext>(IDbContextFactory<TContext> inner) : IDbContextFactory<AppDbContext>
    where TContext : AppDbContext
{
    public AppDbContext CreateDbContext() => inner.CreateDbContext();
}
