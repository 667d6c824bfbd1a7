using EntitlementPortal.Data;
using EntitlementPortal.Features.ApiKeys;
using EntitlementPortal.Features.Downloads;
using EntitlementPortal.Features.Tokens;
using EntitlementPortal.Tests.Support;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace EntitlementPortal.Tests.Demo;

/// <summary>
/// seed-demo run as an operator runs it: the real portal process on a temp SQLite file. Starting the process and
/// seeding is most of each test's time, so the tests that only read a seeded database share one run
/// (<see cref="SeededDemoDatabase"/>); the others seed a folder of their own.
/// </summary>
public sealed class SeedDemoCommandTests(SeededDemoDatabase seeded) : IClassFixture<SeededDemoDatabase>, IDisposable
{
    private readonly TempDirectory directory = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string ConnectionString => SeededDemoDatabase.ConnectionStringIn(directory);

    private Task<PortalProcess.Result> SeedAsync(params string[] options) => SeededDemoDatabase.SeedAsync(directory, options);

    [Fact]
    public async Task Seeds_an_empty_database_with_the_asked_counts_and_exits_without_listening()
    {
        var result = seeded.Result;

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("1,500 download events", result.StandardOutput);
        Assert.DoesNotContain("Now listening", result.StandardOutput);
        Assert.Equal("", result.StandardError);
        await using var db = seeded.Open();
        Assert.Equal(SeededDemoDatabase.Events, await db.Set<DownloadEvent>().CountAsync(Ct));
        Assert.Equal(SeededDemoDatabase.Tokens, await db.Set<EntitlementToken>().CountAsync(t => t.Kind == TokenKind.Standard, Ct));
        var admin = await db.Users.SingleAsync(Ct);
        Assert.Equal(SeededDemoDatabase.AdminEmail, admin.Email);
        Assert.Equal(admin.Id, (await db.Set<ApiKey>().SingleAsync(Ct)).UserId);
    }

    [Fact]
    public async Task The_rollup_and_the_token_counters_agree_with_the_events()
    {
        Assert.Equal(0, seeded.Result.ExitCode);

        await using var db = seeded.Open();
        var counted = await db.Set<DownloadEvent>().Where(e => e.TokenId != null).CountAsync(e => e.Counted, Ct);
        var served = await db.Set<DownloadEvent>().Where(e => e.TokenId != null && e.Status < 400).SumAsync(e => e.Bytes, Ct);
        Assert.True(counted > 0);
        Assert.Equal(counted, await db.Set<TokenDailyUsage>().SumAsync(u => u.Downloads, Ct));
        Assert.Equal(served, await db.Set<TokenDailyUsage>().SumAsync(u => u.Bytes, Ct));
        Assert.Equal(counted, await db.Set<EntitlementToken>().SumAsync(t => t.Downloads, Ct));
        Assert.Equal(served, await db.Set<EntitlementToken>().SumAsync(t => t.BandwidthBytes, Ct));
        Assert.Equal(await db.Set<TokenClient>().CountAsync(Ct), await db.Set<EntitlementToken>().SumAsync(t => t.Clients, Ct));
        Assert.Contains(await db.Set<DownloadEvent>().Select(e => e.Status).Distinct().ToListAsync(Ct), s => s == 403);
    }

    [Fact]
    public async Task Every_client_address_and_network_is_a_whole_IPv4_address()
    {
        Assert.Equal(0, seeded.Result.ExitCode);

        await using var db = seeded.Open();
        var addresses = await db.Set<DownloadEvent>().Where(e => e.ClientIp != null).Select(e => e.ClientIp!).Distinct().ToListAsync(Ct);
        var networks = (await db.Set<EntitlementToken>().Where(t => t.AllowedCidrs != null).Select(t => t.AllowedCidrs!).ToListAsync(Ct))
            .SelectMany(c => c.Split(['\n', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();
        Assert.NotEmpty(addresses);
        Assert.NotEmpty(networks);
        Assert.All(addresses, a => Assert.True(IsWholeIPv4(a), $"{a} is not a whole IPv4 address"));
        Assert.All(networks, n => Assert.True(n.EndsWith(".0/24", StringComparison.Ordinal) && IsWholeIPv4(n[..^3]), $"{n} is not a whole /24 network"));
    }

    private static bool IsWholeIPv4(string text) =>
        text.Split('.') is { Length: 4 } parts && parts.All(p => byte.TryParse(p, System.Globalization.CultureInfo.InvariantCulture, out _));

    [Fact]
    public async Task A_database_that_holds_data_is_refused_and_left_unchanged()
    {
        // A copy of the shared seeded database (and its key file), so a refusal that did change it harms no other test.
        Assert.Equal(0, seeded.Result.ExitCode);
        seeded.CopyTo(directory);
        var before = await SnapshotAsync();

        var again = await SeedAsync("--events", "200", "--tokens", "3");

        Assert.Equal(1, again.ExitCode);
        Assert.Equal("seed-demo: the database already holds repositories, customers or tokens; run it on an empty database.",
            Assert.Single(again.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries)).Trim());
        Assert.Equal(before, await SnapshotAsync());
    }

    [Theory]
    [InlineData("--events", "abc")]
    [InlineData("--events", "-1")]
    [InlineData("--users", "5")]
    public async Task Bad_arguments_are_refused_before_the_database_is_touched(string option, string value)
    {
        var result = await SeedAsync(option, value);

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("seed-demo: ", Assert.Single(result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
        Assert.False(File.Exists(directory.File("data/portal.db")));
    }

    private async Task<(int Events, int Tokens, int Customers, int Audit, int Users)> SnapshotAsync()
    {
        await using var db = Open();
        return (await db.Set<DownloadEvent>().CountAsync(Ct), await db.Set<EntitlementToken>().CountAsync(Ct),
            await db.Set<EntitlementPortal.Features.Customers.Customer>().CountAsync(Ct),
            await db.Set<EntitlementPortal.Features.Audit.AuditEntry>().CountAsync(Ct), await db.Users.CountAsync(Ct));
    }

    private SqliteAppDbContext Open() => DesignTimeOptions.CreateSqlite(ConnectionString);

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        directory.Dispose();
    }
}
