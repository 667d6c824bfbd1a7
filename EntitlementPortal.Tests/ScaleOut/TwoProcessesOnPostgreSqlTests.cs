using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using EntitlementPortal.Security;
using EntitlementPortal.Tests.Support;

namespace EntitlementPortal.Tests.ScaleOut;

/// <summary>
/// Two portal processes on one PostgreSQL database, one package folder and one master key: the reference deployment
/// of docs/operations.md without the load balancer (the tests spread requests over both themselves). Started once for
/// the tests of <see cref="TwoProcessesOnPostgreSqlTests"/>, which each clean up the tokens they make.
/// </summary>
public sealed class TwoPortalProcesses : IAsyncLifetime
{
    public const string AdminEmail = "ops@example.com";
    public const string AdminPassword = "B00tstrap-secret!";
    public const string AdminApiKey = "bootstrap-api-key-for-scale-out-0123456789";
    public const string Repo = "acme";
    public const string FilePath = "acme/agent/1.0.0/agent-1.0.0.tar.gz";
    public const int PlanAllowance = 5;
    public const string ResetSchedulerCategory = "EntitlementPortal.Features.Tokens.TokenResetScheduler";
    private static readonly byte[] Content = Enumerable.Range(0, 5_000).Select(i => (byte)(i % 241)).ToArray();

    private readonly TempDirectory directory = new();

    public string Database { get; private set; } = "";
    public RunningPortal First { get; private set; } = default!;
    public RunningPortal Second { get; private set; } = default!;
    public HttpClient FirstApi { get; private set; } = default!;
    public HttpClient SecondApi { get; private set; } = default!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        Database = await PostgresServer.Instance.CreateDatabaseAsync();
        var environment = new Dictionary<string, string>
        {
            ["Database__Provider"] = "PostgreSql",
            ["ConnectionStrings__Default"] = Database,
            ["Secrets__MasterKey"] = MasterKey.NewKeyText(),
            ["Storage__Root"] = directory.File("packages"),
            ["Bootstrap__AdminEmail"] = AdminEmail,
            ["Bootstrap__AdminPassword"] = AdminPassword,
            ["Bootstrap__AdminApiKey"] = AdminApiKey,
            ["Plan__MaxActiveTokens"] = PlanAllowance.ToString(System.Globalization.CultureInfo.InvariantCulture),
            // Each process looks for due resets every second and says so, so a test can tell that both have looked.
            ["Tokens__ResetCheckInterval"] = "00:00:01",
            [$"Logging__LogLevel__{ResetSchedulerCategory}"] = "Trace",
        };
        // Started together, as a deployment rolls out: both migrate and seed the same database at once.
        var started = await Task.WhenAll(PortalProcess.StartAsync(environment, directory.Path), PortalProcess.StartAsync(environment, directory.Path));
        (First, Second) = (started[0], started[1]);
        FirstApi = ApiClient(First);
        SecondApi = ApiClient(Second);

        (await FirstApi.PostAsJsonAsync("/api/v1/repos", new { slug = Repo, name = "Acme" }, Ct)).EnsureSuccessStatusCode();
        using var form = new MultipartFormDataContent
        {
            { new StringContent("agent"), "name" },
            { new StringContent("1.0.0"), "version" },
            { new ByteArrayContent(Content), "file", "agent-1.0.0.tar.gz" },
        };
        var upload = await SecondApi.PostAsync($"/api/v1/repos/{Repo}/packages", form, Ct);
        Assert.True(upload.StatusCode == HttpStatusCode.Created, await upload.Content.ReadAsStringAsync(Ct));
    }

    private static HttpClient ApiClient(RunningPortal portal)
    {
        var client = new HttpClient { BaseAddress = portal.Address };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminApiKey);
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        FirstApi?.Dispose();
        SecondApi?.Dispose();
        if (First is not null)
        {
            await First.DisposeAsync();
        }
        if (Second is not null)
        {
            await Second.DisposeAsync();
        }
        if (Database.Length > 0)
        {
            await PostgresServer.Instance.DropDatabaseAsync(Database);
        }
        directory.Dispose();
    }
}

/// <summary>
/// Limits, the plan allowance, changes and scheduled resets hold across two portal processes on one PostgreSQL
/// database; a session made on one is valid on the other.
/// </summary>
public sealed class TwoProcessesOnPostgreSqlTests(TwoPortalProcesses portals) : IClassFixture<TwoPortalProcesses>, IAsyncLifetime
{
    private const string Repo = TwoPortalProcesses.Repo;
    private const string FilePath = TwoPortalProcesses.FilePath;
    private const string AdminEmail = TwoPortalProcesses.AdminEmail;
    private const string AdminPassword = TwoPortalProcesses.AdminPassword;
    private const string ResetRoundLine = "Scheduled reset round done";
    private readonly List<int> createdTokens = [];

    private RunningPortal First => portals.First;
    private RunningPortal Second => portals.Second;
    private HttpClient FirstApi => portals.FirstApi;
    private HttpClient SecondApi => portals.SecondApi;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task Two_hundred_parallel_downloads_over_both_processes_against_a_limit_of_fifty_serve_exactly_fifty()
    {
        var (id, token) = await CreateTokenAsync(FirstApi, new { name = "Fleet", limitDownloads = 50 });

        var statuses = await Task.WhenAll(Enumerable.Range(0, 200).Select(i => Task.Run(async () =>
        {
            using var client = new HttpClient { BaseAddress = (i % 2 == 0 ? First : Second).Address };
            return (await client.GetAsync($"/dl/{token}/{FilePath}", Ct)).StatusCode;
        }, Ct)));

        Assert.Equal(50, statuses.Count(s => s == HttpStatusCode.OK));
        Assert.Equal(150, statuses.Count(s => s == HttpStatusCode.Forbidden));
        var usage = await (await SecondApi.GetAsync($"/api/v1/repos/{Repo}/entitlements/{id}/usage", Ct)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(50, usage.GetProperty("downloads").GetInt64());
    }

    [Fact]
    public async Task A_token_disabled_on_one_process_is_refused_by_the_other_on_its_very_next_request()
    {
        var (id, token) = await CreateTokenAsync(FirstApi, new { name = "Soon disabled" });
        using var viaSecond = new HttpClient { BaseAddress = Second.Address };
        Assert.Equal(HttpStatusCode.OK, (await viaSecond.GetAsync($"/dl/{token}/{FilePath}", Ct)).StatusCode);

        (await FirstApi.PostAsync($"/api/v1/repos/{Repo}/entitlements/{id}/disable", null, Ct)).EnsureSuccessStatusCode();

        var refused = await (await viaSecond.GetAsync($"/dl/{token}/{FilePath}", Ct)).AssertProblemAsync(403);
        Assert.Equal("token_disabled", refused.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task Tokens_created_in_parallel_on_both_processes_never_pass_the_plan_allowance()
    {
        var statuses = await Task.WhenAll(Enumerable.Range(0, 12).Select(i =>
            (i % 2 == 0 ? FirstApi : SecondApi).PostAsJsonAsync($"/api/v1/repos/{Repo}/entitlements", new { name = $"Customer {i}" }, Ct)));
        foreach (var created in statuses.Where(r => r.StatusCode == HttpStatusCode.Created))
        {
            createdTokens.Add((await created.ReadJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetInt32());
        }

        Assert.Equal(TwoPortalProcesses.PlanAllowance, statuses.Count(r => r.StatusCode == HttpStatusCode.Created));
        Assert.All(statuses.Where(r => r.StatusCode != HttpStatusCode.Created), r => Assert.Equal(HttpStatusCode.Conflict, r.StatusCode));
        var list = await (await FirstApi.GetAsync($"/api/v1/repos/{Repo}/entitlements", Ct)).ReadJsonAsync(HttpStatusCode.OK);
        var items = list.ValueKind == JsonValueKind.Array ? list : list.GetProperty("items");
        Assert.Equal(TwoPortalProcesses.PlanAllowance, items.EnumerateArray().Count(t => t.GetProperty("isActive").GetBoolean() && !t.GetProperty("isDeleted").GetBoolean()));
    }

    [Fact]
    public async Task A_due_scheduled_reset_is_applied_exactly_once_although_both_processes_run_the_schedule()
    {
        var tokens = new List<(int Id, string Token)>();
        for (var i = 0; i < 5; i++)
        {
            tokens.Add(await CreateTokenAsync(FirstApi, new { name = $"Daily {i}", resetPeriod = "daily" }));
        }
        using var viaSecond = new HttpClient { BaseAddress = Second.Address };
        foreach (var (_, token) in tokens)
        {
            Assert.Equal(HttpStatusCode.OK, (await viaSecond.GetAsync($"/dl/{token}/{FilePath}", Ct)).StatusCode);
        }
        var roundsBefore = (First: First.LinesContaining(ResetRoundLine).Count, Second: Second.LinesContaining(ResetRoundLine).Count);

        // Make every reset due now, as if the day had passed; a change made in the database bumps the model version.
        var due = DateTime.UtcNow.AddMinutes(-1);
        due = new DateTime(due.Ticks - due.Ticks % TimeSpan.TicksPerSecond, DateTimeKind.Utc);
        await using (var connection = new Npgsql.NpgsqlConnection(portals.Database))
        {
            await connection.OpenAsync(Ct);
            await using var command = new Npgsql.NpgsqlCommand(
                "UPDATE \"EntitlementTokens\" SET \"NextResetAt\" = @due WHERE \"Id\" = ANY(@ids); UPDATE \"DownloadModelVersions\" SET \"Version\" = \"Version\" + 1;", connection);
            command.Parameters.AddWithValue("due", due);
            command.Parameters.AddWithValue("ids", tokens.Select(t => t.Id).ToArray());
            await command.ExecuteNonQueryAsync(Ct);
        }

        // Two more rounds than before on each process: each has run at least one full round after the resets fell due.
        await Task.WhenAll(
            First.WaitForLinesAsync(ResetRoundLine, roundsBefore.First + 2, TimeSpan.FromSeconds(60)),
            Second.WaitForLinesAsync(ResetRoundLine, roundsBefore.Second + 2, TimeSpan.FromSeconds(60)));

        var resetsLogged = First.LinesContaining(ResetRoundLine).Skip(roundsBefore.First).Concat(Second.LinesContaining(ResetRoundLine).Skip(roundsBefore.Second))
            .Sum(line => int.Parse(System.Text.RegularExpressions.Regex.Match(line, @"done: (\d+) reset").Groups[1].Value));
        Assert.Equal(5, resetsLogged);
        await using (var connection = new Npgsql.NpgsqlConnection(portals.Database))
        {
            await connection.OpenAsync(Ct);
            await using var command = new Npgsql.NpgsqlCommand(
                "SELECT count(*) FROM \"AuditEntries\" WHERE \"Summary\" LIKE 'Scheduled daily reset%'", connection);
            Assert.Equal(5L, (long)(await command.ExecuteScalarAsync(Ct))!);
        }
        foreach (var (id, _) in tokens)
        {
            var usage = await (await FirstApi.GetAsync($"/api/v1/repos/{Repo}/entitlements/{id}/usage", Ct)).ReadJsonAsync(HttpStatusCode.OK);
            Assert.Equal(0, usage.GetProperty("downloads").GetInt64());
            var token = await (await SecondApi.GetAsync($"/api/v1/repos/{Repo}/entitlements/{id}", Ct)).ReadJsonAsync(HttpStatusCode.OK);
            Assert.Equal(due.AddDays(1), token.GetProperty("nextResetAt").GetDateTime().ToUniversalTime());
        }
    }

    [Fact]
    public async Task A_session_signed_in_on_one_process_is_valid_on_the_other()
    {
        var cookies = new CookieContainer();
        using var viaFirst = Browser(First, cookies);
        using var viaSecond = Browser(Second, cookies);
        using var anonymous = Browser(Second, new CookieContainer());

        var signIn = await AccountSession.SignInAsync(viaFirst, AdminEmail, AdminPassword);
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);

        // Cookies don't tell ports apart: the other process gets the same cookie, as behind one load balancer.
        Assert.Equal(HttpStatusCode.OK, (await viaSecond.GetAsync("/tokens", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await anonymous.GetAsync("/tokens", Ct)).StatusCode);
    }

    private static HttpClient Browser(RunningPortal portal, CookieContainer cookies) =>
        new(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = cookies }) { BaseAddress = portal.Address };

    private async Task<(int Id, string Token)> CreateTokenAsync(HttpClient api, object body)
    {
        var created = await (await api.PostAsJsonAsync($"/api/v1/repos/{Repo}/entitlements", body, Ct)).ReadJsonAsync(HttpStatusCode.Created);
        createdTokens.Add(created.GetProperty("id").GetInt32());
        return (created.GetProperty("id").GetInt32(), created.GetProperty("token").GetString()!);
    }

    /// <summary>The processes outlive a test: its tokens go, so the next test starts with the whole plan allowance.</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var id in createdTokens)
        {
            (await FirstApi.DeleteAsync($"/api/v1/repos/{Repo}/entitlements/{id}", CancellationToken.None)).EnsureSuccessStatusCode();
        }
    }

}
