using EntitlementPortal.Identity;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace EntitlementPortal.Data;

/// <summary>
/// Used by <c>dotnet ef</c> and by the model tests. The Identity options must be the app's, or the
/// design-time model would lack the passkey table and the migrations would drift from the runtime model.
/// </summary>
public static class DesignTimeOptions
{
    public static IServiceProvider IdentityOptionsProvider { get; } = new ServiceCollection()
        .Configure<IdentityOptions>(PortalIdentityRegistration.ConfigureIdentity)
        .BuildServiceProvider();

    public static SqliteAppDbContext CreateSqlite(string connectionString = "Data Source=design-time.db") =>
        new(new DbContextOptionsBuilder<SqliteAppDbContext>()
            .UseSqlite(connectionString)
            .UseApplicationServiceProvider(IdentityOptionsProvider)
            .Options);

    public static SqlServerAppDbContext CreateSqlServer(
        string connectionString = "Server=localhost;Database=EntitlementPortal;Trusted_Connection=True;TrustServerCertificate=True") =>
        new(new DbContextOptionsBuilder<SqlServerAppDbContext>()
            .UseSqlServer(connectionString)
            .UseApplicationServiceProvider(IdentityOptionsProvider)
            .Options);

    public static PostgreSqlAppDbContext CreatePostgreSql(
        string connectionString = "Host=localhost;Database=entitlementportal;Username=entitlementportal") =>
        new((DbContextOptions<PostgreSqlAppDbContext>)new DbContextOptionsBuilder<PostgreSqlAppDbContext>()
            .UsePortalPostgreSql(connectionString)
            .UseApplicationServiceProvider(IdentityOptionsProvider)
            .Options);
}

public sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteAppDbContext>
{
    public SqliteAppDbContext CreateDbContext(string[] args) => DesignTimeOptions.CreateSqlite();
}

public sealed class SqlServerDesignTimeFactory : IDesignTimeDbContextFactory<SqlServerAppDbContext>
{
    public SqlServerAppDbContext CreateDbContext(string[] args) => DesignTimeOptions.CreateSqlServer();
}

public sealed class PostgreSqlDesignTimeFactory : IDesignTimeDbContextFactory<PostgreSqlAppDbContext>
{
    public PostgreSqlAppDbContext CreateDbContext(string[] args) => DesignTimeOptions.CreatePostgreSql();
}
