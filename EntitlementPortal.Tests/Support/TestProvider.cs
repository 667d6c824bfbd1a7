using EntitlementPortal.Data;

namespace EntitlementPortal.Tests.Support;

/// <summary>
/// Which database the test hosts and test databases use: SQLite unless <c>EP_TEST_DATABASE=PostgreSql</c>, which
/// <c>./test.sh</c> sets for its second run of the integration and download suites against a real PostgreSQL server
/// (<see cref="PostgresServer"/>). Tests that look at SQLite's file itself carry <see cref="SqliteOnly"/>.
/// </summary>
public static class TestProvider
{
    public const string Variable = "EP_TEST_DATABASE";

    /// <summary>The trait that keeps a test out of the PostgreSQL run (it reads or breaks the SQLite file directly).</summary>
    public const string SqliteOnly = "SqliteOnly";

    public static DatabaseProvider Current { get; } =
        string.Equals(Environment.GetEnvironmentVariable(Variable), nameof(DatabaseProvider.PostgreSql), StringComparison.OrdinalIgnoreCase)
            ? DatabaseProvider.PostgreSql
            : DatabaseProvider.Sqlite;

    public static bool IsPostgreSql => Current == DatabaseProvider.PostgreSql;
}
