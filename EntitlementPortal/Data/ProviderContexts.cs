using Microsoft.EntityFrameworkCore;

namespace EntitlementPortal.Data;

/// <summary>SQLite: the embedded default. Migrations in Data/Migrations/Sqlite.</summary>
public sealed class SqliteAppDbContext(DbContextOptions<SqliteAppDbContext> options) : AppDbContext(options);

/// <summary>SQL Server: the production provider. Migrations in Data/Migrations/SqlServer.</summary>
public sealed class SqlServerAppDbContext(DbContextOptions<SqlServerAppDbContext> options) : AppDbContext(options);

/// <summary>Hands out the provider's context as the provider-neutral <see cref="AppDbContext"/>.</summary>
internal sealed class AppDbContextFactory<TContext>(IDbContextFactory<TContext> inner) : IDbContextFactory<AppDbContext>
    where TContext : AppDbContext
{
    public AppDbContext CreateDbContext() => inner.CreateDbContext();
}
