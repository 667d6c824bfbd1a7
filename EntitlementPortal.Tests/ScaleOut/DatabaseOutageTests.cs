using System.Net;
using EntitlementPortal.Security;
using EntitlementPortal.Tests.Downloads;
using EntitlementPortal.Tests.Support;
using Npgsql;

namespace EntitlementPortal.Tests.ScaleOut;

/// <summary>
/// The database server goes away while the portal runs (a PostgreSQL server of this test's own, stopped and started
/// again): downloads and the API answer 503 with a problem body and count nothing, readiness fails so a load balancer
/// stops sending traffic, and the portal serves again once the server is back, without a restart.
/// </summary>
public sealed class DatabaseOutageTests : DownloadTestBase
{
    private readonly PostgresServer server;

    public DatabaseOutageTests() : this(PostgresServer.StartPrivate())
    {
    }

    private DatabaseOutageTests(PostgresServer server) : base(SettingsFor(server))
    {
        this.server = server;
    }

    private static Dictionary<string, string?> SettingsFor(PostgresServer server) => new()
    {
        ["Database:Provider"] = "PostgreSql",
        ["ConnectionStrings:Default"] = new NpgsqlConnectionStringBuilder(server.CreateEmptyDatabaseAsync().GetAwaiter().GetResult()) { Timeout = 3 }.ConnectionString,
        [MasterKey.ConfigurationKey] = MasterKey.NewKeyText(),
    };

    [Fact]
    public async Task While_the_database_is_down_downloads_are_503_and_uncounted_and_they_work_again_when_it_returns()
    {
        var (id, token) = await CreateTokenAsync(new { name = "Through the outage", limitDownloads = 10 });
        Assert.Equal(HttpStatusCode.OK, (await GetAsync($"/dl/{token}/{FilePath}")).StatusCode);

        server.Stop();

        var download = await GetAsync($"/dl/{token}/{FilePath}");
        var problem = await download.AssertProblemAsync(503);
        Assert.Equal("database_unavailable", problem.GetProperty("reason").GetString());
        Assert.NotNull(download.Headers.RetryAfter);
        await (await Api.GetAsync($"/api/v1/repos/{Repo}/entitlements/{id}", Ct)).AssertProblemAsync(503);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await Anonymous.GetAsync("/healthz/ready", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Anonymous.GetAsync("/healthz/live", Ct)).StatusCode);

        server.Restart();
        Assert.Equal(HttpStatusCode.OK, (await Anonymous.GetAsync("/healthz/ready", Ct)).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await GetAsync($"/dl/{token}/{FilePath}")).StatusCode);
        var usage = await (await Api.GetAsync($"/api/v1/repos/{Repo}/entitlements/{id}/usage", Ct)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(2, usage.GetProperty("downloads").GetInt64());
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        server.Dispose();
    }
}
