namespace EntitlementPortal.Features.Shared;

/// <summary>
/// LIKE patterns for "contains" searches. LIKE is case-insensitive on both SQLite (ASCII) and SQL Server's
/// default collation, unlike string.Contains on SQLite; user input is escaped so % and _ match literally.
/// </summary>
public static class TextSearch
{
    public const string Escape = "\\";

    public static string ContainsPattern(string term) =>
        "%" + term.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_").Replace("[", "\\[") + "%";
}
