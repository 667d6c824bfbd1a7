namespace EntitlementPortal.Features.Shared;

/// <summary>
/// LIKE patterns for "contains" searches. LIKE is case-insensitive on SQLite (ASCII) and SQL Server's default
/// collation, and on PostgreSQL, where <see cref="Data.CaseInsensitiveLike"/> makes it ILIKE; unlike string.Contains.
/// User input is escaped so % and _ match literally.
/// </summary>
public static class TextSearch
{
    public const string Escape = "\\";

    public static string ContainsPattern(string term) =>
        "%" + term.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_").Replace("[", "\\[") + "%";
}
