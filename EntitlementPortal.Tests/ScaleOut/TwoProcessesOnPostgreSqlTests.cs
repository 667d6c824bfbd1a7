using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using EntitlementPortal.Security;
using EntitlementPortal.Tests.Support;

namespace EntitlementPortal.Tests.ScaleOut;

/// <summary>
/// Two portal processes on one PostgreSQL database, one package folder and one master key: the reference deployment
/// of docs/operations.md without the load balancer (the test spreads requests over both itself). Limits, the plan
/// allowance and changes hold across the two; a session made on one is valid on the other.
/// </summary>
public sealed class TwoProcessesOnPostgreSqlTests : IAsyncLifetime
{
    private const string AdminEmail = "ops@example.com";
    private const string AdminPassword = "B00tstrap-secret!";
    private const string AdminApiKey = "bootstrap-api-key-for-scale-out-0123456789";
    private const string Repo = "acme";
    private const string FilePath = "acme/agent/1.0.0/agent-1.0.0.tar.gz";
    private static readonly byte[] Content = Enumerable.Range(0, 5_000).Select(i => (byte)(i % 241)).ToArray();

    private readonly TempDirectory directory = new();
    private string database = "";
    private RunningPortal first = default!;
    private RunningPortal second = default!;
    private HttpClient firstApi = default!;
    private HttpClient secondApi = default!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        database = await PostgresServer.Instance.CreateDatabaseAsync();
        var environment = new Dictionary<string, string>
        {
            ["Database__Provider"] = "PostgreSql",
            ["ConnectionStrings__Default"] = database,
            ["Secrets__MasterKey"] = MasterKey.NewKeyText(),
            ["Storage__Root"] = directory.File("packages"),
            ["Bootstrap__AdminEmail"] = AdminEmail,
            ["Bootstrap__AdminPassword"] = AdminPassword,
            ["Bootstrap__AdminApiKey"] = AdminApiKey,
            ["Plan__MaxActiveTokens"] = "5",
        };
        // Started together, as a deployment rolls out: both migrate and seed the same database at once.
        var started = await Task.WhenAll(PortalProcess.StartAsync(environment, directory.Path), PortalProcess.StartAsync(environment, directory.Path));
        (first, second) = (started[0], started[1]);
        firstApi = ApiClient(first);
        secondApi = ApiClient(second);

        (await firstApi.PostAsJsonAsync("/api/v1/repos", new { slug = Repo, name = "Acme" }, Ct)).EnsureSuccessStatusCode();
        using var form = new MultipartFormDataContent
        {
            { new StringContent("agent"), "name" },
            { new StringContent("1.0.0"), "version" },
            { new ByteArrayContent(Content), "file", "agent-1.0.0.tar.gz" },
        };
        var upload = await secondApi.PostAsync($"/api/v1/repos/{Repo}/packages", form, Ct);
        Assert.True(upload.StatusCode == HttpStatusCode.Created, await upload.Content.ReadAsStringAsync(Ct));
    }

    [Fact]
    public async Task Two_hundred_parallel_downloads_over_both_processes_against_a_limit_of_fifty_serve_exactly_fifty()
    {
        var (id, token) = await CreateTokenAsync(firstApi, new { name = "Fleet", limitDownloads = 50 });

        var statuses = await Task.WhenAll(Enumerable.Range(0, 200).Select(i => Task.Run(async () =>
        {
            using var client = new HttpClient { BaseAddress = (i % 2 == 0 ? first : second).Address };
            return (await client.GetAsync($"/dl/{token}/{FilePath}", Ct)).StatusCode;
        }, Ct)));

        Assert.Equal(50, statuses.Count(s => s == HttpStatusCode.OK));
        Assert.Equal(150, statuses.Count(s => s == HttpStatusCode.Forbidden));
        var usage = await (await secondApi.GetAsync($"/api/v1/repos/{Repo}/entitlements/{id}/usage", Ct)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(50, usage.GetProperty("downloads").GetInt64());
    }

    [Fact]
    public async Task A_token_disabled_on_one_process_is_refused_by_the_other_on_its_very_next_request()
    {
        var (id, token) = await CreateTokenAsync(firstApi, new { name = "Soon disabled" });
        using var viaSecond = new HttpClient { BaseAddress = second.Address };
        Assert.Equal(HttpStatusCode.OK, (await viaSecond.GetAsync($"/dl/{token}/{FilePath}", Ct)).StatusCode);

        (await firstApi.PostAsync($"/api/v1/repos/{Repo}/entitlements/{id}/disable", null, Ct)).EnsureSuccessStatusCode();

        var refused = await (await viaSecond.GetAsync($"/dl/{token}/{FilePath}", Ct)).AssertProblemAsync(403);
        Assert.Equal("token_disabled", refused.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task Tokens_created_in_parallel_on_both_processes_never_pass_the_plan_allowance()
    {
        var statuses = await Task.WhenAll(Enumerable.Range(0, 12).Select(i =>
            (i % 2 == 0 ? firstApi : secondApi).PostAsJsonAsync($"/api/v1/repos/{Repo}/entitlements", new { name = $"Customer {i}" }, Ct)));

        Assert.Equal(5, statuses.Count(r => r.StatusCode == HttpStatusCode.Created));
        Assert.All(statuses.Where(r => r.StatusCode != HttpStatusCode.Created), r => Assert.Equal(HttpStatusCode.Conflict, r.StatusCode));
        var list = await (await firstApi.GetAsync($"/api/v1/repos/{Repo}/entitlements", Ct)).ReadJsonAsync(HttpStatusCode.OK);
        var items = list.ValueKind == JsonValueKind.Array ? list : list.GetProperty("items");
        Assert.Equal(5, items.EnumerateArray().Count(t => t.GetProperty("isActive").GetBoolean()));
    }

    [Fact]
    public async Task A_session_signed_in_on_one_process_is_valid_on_the_other()
    {
        var cookies = new CookieContainer();
        using var viaFirst = Browser(first, cookies);
        using var viaSecond = Browser(second, cookies);
        using var anonymous = Browser(second, new CookieContainer());

        var signIn = await AccountSession.SignInAsync(viaFirst, AdminEmail, AdminPassword);
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);

        // Cookies don't tell ports apart: the other process gets the same cookie, as behind one load balancer.
        Assert.Equal(HttpStatusCode.OK, (await viaSecond.GetAsync("/tokens", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await anonymous.GetAsync("/tokens", Ct)).StatusCode);
    }

    private static HttpClient ApiClient(RunningPortal portal)
    {
        var client = new HttpClient { BaseAddress = portal.Address };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminApiKey);
        return client;
    }

    private static HttpClient Browser(RunningPortal portal, CookieContainer cookies) =>
        new(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = cookies }) { BaseAddress = portal.Address };

    private static async Task<(int Id, string Token)> CreateTokenAsync(HttpClient api, object body)
    {
        var created = await (await api.PostAsJsonAsync($"/api/v1/repos/{Repo}/entitlements", body, Ct)).ReadJsonAsync(HttpStatusCode.Created);
        return (created.GetProperty("id").GetInt32(), created.GetProperty("token").GetString()!);
    }

    public async ValueTask DisposeAsync()
    {
        firstApi?.Dispose();
        secondApi?.Dispose();
        if (first is not null)
        {
            await first.DisposeAsync();
        }
        if (second is not null)
        {
            await second.DisposeAsync();
        }
        if (database.Length > 0)
        {
            await PostgresServer.Instance.DropDatabaseAsync(database);
        }
        directory.Dispose();
    }
}
