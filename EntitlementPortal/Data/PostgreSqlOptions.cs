using Microsoft.EntityFrameworkCore;

namespace EntitlementPortal.Data;

/// <summary>The one place PostgreSQL's EF Core options are set: the app, <c>dotnet ef</c> and the tests use it.</summary>
public static class PostgreSqlOptions
{
    public static DbContextOptionsBuilder UsePortalPostgreSql(this DbContextOptionsBuilder options, string connectionString) =>
        options.UseNpgsql(connectionString).AddInterceptors(CaseInsensitiveLike.Instance);
}
