using System.Data;
using EntitlementPortal.Data;
using EntitlementPortal.Features.Downloads;

namespace EntitlementPortal.Tests.Downloads;

/// <summary>
/// The SQL Server form of the event INSERT, checked without a server (the SQLite form is run by every download
/// and history test): the provider's types and stored forms, and a full statement within SQL Server's limits.
/// </summary>
public sealed class DownloadEventRowsTests
{
    private static readonly DateTime At = new(2026, 12, 2, 18, 30, 15, 123, DateTimeKind.Utc);

    [Fact]
    public void A_full_SQL_Server_statement_stays_within_its_parameter_and_row_limits()
    {
        using var db = DesignTimeOptions.CreateSqlServer();
        var rows = DownloadEventRows.MaxRowsPerStatement(db);
        using var command = DownloadEventRows.StatementFor(db, Enumerable.Range(0, rows).Select(_ => Served()).ToList());

        Assert.InRange(rows, 2, 1000);
        Assert.InRange(command.Parameters.Count, rows, 2100);
        Assert.StartsWith("INSERT INTO [DownloadEvents] ([", command.CommandText);
        Assert.DoesNotContain("[Id]", command.CommandText);
    }

    [Fact]
    public void SQL_Server_parameters_carry_the_stored_forms_and_types()
    {
        using var db = DesignTimeOptions.CreateSqlServer();
        using var command = DownloadEventRows.StatementFor(db, [Served()]);
        var columns = command.CommandText[(command.CommandText.IndexOf('(') + 1)..command.CommandText.IndexOf(')')]
            .Split(", ").Select(c => c.Trim('[', ']')).ToList();
        var value = (string column) => command.Parameters[columns.IndexOf(column)];

        Assert.Equal(DbType.DateTime2, value("At").DbType);
        Assert.Equal(At, value("At").Value);
        Assert.Equal("TokenInPath", value("AuthMethod").Value);
        Assert.Equal(true, value("Counted").Value);
        Assert.Equal(4096L, value("Bytes").Value);
        Assert.Equal(1, value("Attempts").Value);
        Assert.Equal(DBNull.Value, value("Reason").Value);
        Assert.Equal(DBNull.Value, value("SummaryKey").Value);
    }

    private static DownloadEvent Served() => new()
    {
        At = At, Repo = "acme", Package = "acme-agent", Version = "2.1.0", Filename = "acme-agent-2.1.0.tar.gz", TokenId = 7,
        CustomerId = 3, AuthMethod = AuthMethod.TokenInPath, ClientIp = "203.0.113.9", UserAgent = "curl/8.5.0", Status = 200,
        Bytes = 4096, Counted = true,
    };
}
