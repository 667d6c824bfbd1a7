using Microsoft.EntityFrameworkCore;

namespace EntitlementPortal.Features.Shared;

public static class DatabaseErrors
{
    /// <summary>
    /// True when a save failed on a unique index (SQLite "UNIQUE constraint failed", SQL Server errors
    /// 2601/2627 "duplicate key", PostgreSQL SQLSTATE 23505), i.e. a race lost to another writer, not some other
    /// database fault.
    /// </summary>
    public static bool IsUniqueViolation(DbUpdateException exception) => IsProviderUniqueViolation(exception.InnerException);

    /// <summary>The same for any exception: a failed save, or the provider's own error for the failed command.</summary>
    public static bool IsUniqueViolation(Exception? exception) =>
        exception is DbUpdateException update ? IsUniqueViolation(update) : IsProviderUniqueViolation(exception);

    private static bool IsProviderUniqueViolation(Exception? exception) =>
        exception switch
        {
            Microsoft.Data.Sqlite.SqliteException sqlite => sqlite.SqliteExtendedErrorCode is 2067 or 1555,
            Microsoft.Data.SqlClient.SqlException sql => sql.Number is 2601 or 2627,
            Npgsql.PostgresException postgres => postgres.SqlState == Npgsql.PostgresErrorCodes.UniqueViolation,
            _ => false,
        };
}
