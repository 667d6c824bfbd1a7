using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using EntitlementPortal.Identity;
using EntitlementPortal.Tests.Support;

namespace EntitlementPortal.Tests.Api;

public sealed class TokenApiTests(ApiAppFactory app) : IClassFixture<ApiAppFactory>, IAsyncLifetime
{
    private readonly HttpClient api = app.CreateApiClient();
    private readonly string repo = "tok-" + Guid.NewGuid().ToString("N")[..8];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string Base => $"/api/v1/repos/{repo}/entitlements";

    public async ValueTask InitializeAsync() =>
        (await api.PostAsJsonAsync("/api/v1/repos", new { slug = repo, name = "Tokens" }, Ct)).EnsureSuccessStatusCode();

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private async Task<JsonElement> CreateAsync(object body) =>
        await (await api.PostAsJsonAsync(Base, body, Ct)).ReadJsonAsync(HttpStatusCode.Created);

    [Fact]
    public async Task Create_with_every_contract_field_returns_the_secret_and_the_contract_names()
    {
        var customer = await (await api.PostAsJsonAsync("/api/v1/customers", new { name = "Acme Corp" }, Ct)).ReadJsonAsync(HttpStatusCode.Created);

        var created = await CreateAsync(new
        {
            name = "Acme Corp", customerId = customer.GetProperty("id").GetInt32(), isActive = true,
            limitDateFrom = "2026-08-01T00:00:00Z", limitDateTo = "2027-08-01T00:00:00Z",
            limitDownloads = 10, limitClients = 1, limitBandwidthBytes = 10_000_000_000,
            limitPackageQuery = "name:acme-agent AND version:>=2.0", allowedCidrs = new[] { "203.0.113.0/24" },
            resetPeriod = "monthly", metadata = new { licenseId = "L-123" },
        });

        Assert.StartsWith("ent_", created.GetProperty("token").GetString());
        Assert.Equal("standard", created.GetProperty("kind").GetString());
        Assert.Equal(repo, created.GetProperty("repo").GetString());
        Assert.False(created.GetProperty("isDeleted").GetBoolean());
        Assert.Equal(0, created.GetProperty("downloads").GetInt64());
        Assert.Equal("L-123", created.GetProperty("metadata").GetProperty("licenseId").GetString());
        Assert.Equal("monthly", created.GetProperty("resetPeriod").GetString());
        Assert.Equal("2026-08-01T00:00:00Z", created.GetProperty("limitDateFrom").GetString());
        foreach (var field in new[] { "id", "bandwidthBytes", "clients", "lastDownloadAt", "lastClientIp", "nextResetAt", "createdAt", "createdBy", "updatedAt", "refreshedAt" })
        {
            Assert.True(created.TryGetProperty(field, out _), $"missing {field}");
        }
    }

    [Theory]
    [InlineData("""{"name":"x","limitDownloads":0}""", "limitDownloads")]
    [InlineData("""{"name":"x","limitClients":-2}""", "limitClients")]
    [InlineData("""{"name":"x","limitDateFrom":"2027-01-01T00:00:00Z","limitDateTo":"2026-01-01T00:00:00Z"}""", "limitDateTo")]
    [InlineData("""{"name":"x","limitPackageQuery":"name:(acme"}""", "limitPackageQuery")]
    [InlineData("""{"name":"x","allowedCidrs":["300.1.1.1/8"]}""", "allowedCidrs")]
    [InlineData("""{"name":"x","metadata":[1]}""", "metadata")]
    [InlineData("""{"name":"x","token":"bad token"}""", "token")]
    [InlineData("""{"name":"x","resetPeriod":"hourly"}""", "resetPeriod")]
    [InlineData("""{"limitDownloads":5}""", "name")]
    public async Task Bad_input_is_400_keyed_by_the_contract_field_and_stores_nothing(string body, string field)
    {
        var response = await api.PostAsync(Base, new StringContent(body, Encoding.UTF8, "application/json"), Ct);

        var problem = await response.AssertProblemAsync(400);
        Assert.NotEmpty(problem.ErrorsFor(field));
        var list = await (await api.GetAsync(Base, Ct)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(0, list.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Duplicate_custom_secret_in_one_repository_is_409()
    {
        await CreateAsync(new { name = "First", token = "shared-custom-1" });

        var problem = await (await api.PostAsJsonAsync(Base, new { name = "Second", token = "shared-custom-1" }, Ct)).AssertProblemAsync(409);

        Assert.NotEmpty(problem.ErrorsFor("token"));
    }

    [Fact]
    public async Task Patch_null_clears_a_limit_and_keeps_the_rest()
    {
        var created = await CreateAsync(new { name = "Limited", limitDownloads = 5, limitClients = 2 });
        var id = created.GetProperty("id").GetInt32();

        var patched = await (await api.PatchAsync($"{Base}/{id}",
            new StringContent("""{"limitDownloads":null}""", Encoding.UTF8, "application/json"), Ct)).ReadJsonAsync(HttpStatusCode.OK);

        Assert.Equal(JsonValueKind.Null, patched.GetProperty("limitDownloads").ValueKind);
        Assert.Equal(2, patched.GetProperty("limitClients").GetInt32());
        Assert.Equal(created.GetProperty("token").GetString(), patched.GetProperty("token").GetString());
    }

    [Fact]
    public async Task Lifecycle_routes_disable_enable_refresh_reset_and_delete()
    {
        var created = await CreateAsync(new { name = "Lifecycle" });
        var id = created.GetProperty("id").GetInt32();

        var disabled = await (await api.PostAsync($"{Base}/{id}/disable", null, Ct)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.False(disabled.GetProperty("isActive").GetBoolean());
        var enabled = await (await api.PostAsync($"{Base}/{id}/enable", null, Ct)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.True(enabled.GetProperty("isActive").GetBoolean());

        var refreshed = await (await api.PostAsJsonAsync($"{Base}/{id}/refresh", new { graceSeconds = 600 }, Ct)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.NotEqual(created.GetProperty("token").GetString(), refreshed.GetProperty("token").GetString());
        var refreshedAgain = await (await api.PostAsync($"{Base}/{id}/refresh", null, Ct)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.NotEqual(refreshed.GetProperty("token").GetString(), refreshedAgain.GetProperty("token").GetString());
        var badGrace = await (await api.PostAsJsonAsync($"{Base}/{id}/refresh", new { graceSeconds = -5 }, Ct)).AssertProblemAsync(400);
        Assert.NotEmpty(badGrace.ErrorsFor("graceSeconds"));

        var reset = await (await api.PostAsync($"{Base}/{id}/reset", null, Ct)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(0, reset.GetProperty("downloads").GetInt64());
        var usage = await (await api.GetAsync($"{Base}/{id}/usage", Ct)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(JsonValueKind.Array, usage.GetProperty("byDay").ValueKind);

        Assert.Equal(HttpStatusCode.NoContent, (await api.DeleteAsync($"{Base}/{id}", Ct)).StatusCode);
        var enableDeleted = await (await api.PostAsync($"{Base}/{id}/enable", null, Ct)).AssertProblemAsync(409);
        Assert.Contains("deleted", enableDeleted.GetProperty("detail").GetString());
        var withDeleted = await (await api.GetAsync($"{Base}?includeDeleted=true", Ct)).ReadJsonAsync(HttpStatusCode.OK);
        var gone = Assert.Single(withDeleted.GetProperty("items").EnumerateArray());
        Assert.True(gone.GetProperty("isDeleted").GetBoolean());
        Assert.Equal(JsonValueKind.Null, gone.GetProperty("token").ValueKind);
    }

    [Fact]
    public async Task Sync_copies_tokens_from_the_source_and_refuses_itself()
    {
        var source = repo + "-src";
        (await api.PostAsJsonAsync("/api/v1/repos", new { slug = source, name = "Source" }, Ct)).EnsureSuccessStatusCode();
        await api.PostAsJsonAsync($"/api/v1/repos/{source}/entitlements", new { name = "Copied", token = "synced-secret-1" }, Ct);

        var result = await (await api.PostAsJsonAsync($"{Base}/sync", new { source }, Ct)).ReadJsonAsync(HttpStatusCode.OK);

        Assert.Equal(1, result.GetProperty("created").GetInt32());
        var list = await (await api.GetAsync(Base, Ct)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("synced-secret-1", list.GetProperty("items")[0].GetProperty("token").GetString());
        var self = await (await api.PostAsJsonAsync($"{Base}/sync", new { source = repo }, Ct)).AssertProblemAsync(400);
        Assert.NotEmpty(self.ErrorsFor("source"));
        await (await api.PostAsJsonAsync($"{Base}/sync", new { }, Ct)).AssertProblemAsync(400);
    }

    [Fact]
    public async Task Account_manager_key_reads_tokens_without_secrets_and_cannot_create()
    {
        await CreateAsync(new { name = "Secretive" });
        var key = await app.CreateUserWithKeyAsync($"am-{repo}@example.com", Roles.AccountManager);
        var manager = app.CreateApiClient(key);

        var list = await (await manager.GetAsync(Base, Ct)).ReadJsonAsync(HttpStatusCode.OK);

        Assert.Equal(JsonValueKind.Null, list.GetProperty("items")[0].GetProperty("token").ValueKind);
        await (await manager.PostAsJsonAsync(Base, new { name = "Nope" }, Ct)).AssertProblemAsync(403);
    }

    [Fact]
    public async Task An_entitlement_token_is_never_an_api_key()
    {
        var created = await CreateAsync(new { name = "Not a key", token = "looks-like-a-key-but-is-an-entitlement-1234" });
        var client = app.CreateApiClient(created.GetProperty("token").GetString());

        await (await client.GetAsync("/api/v1/repos", Ct)).AssertProblemAsync(401);
    }

    [Fact]
    public async Task Making_the_repository_public_with_active_tokens_is_409_until_confirmed()
    {
        var token = await CreateAsync(new { name = "Live" });

        var ask = await (await api.PatchJsonAsync($"/api/v1/repos/{repo}", new { visibility = "public" })).AssertProblemAsync(409);
        Assert.Contains("confirm=true", ask.GetProperty("detail").GetString());
        Assert.NotEmpty(ask.ErrorsFor("visibility"));

        var done = await (await api.PatchJsonAsync($"/api/v1/repos/{repo}?confirm=true", new { visibility = "public" })).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("public", done.GetProperty("visibility").GetString());
        var disabled = await (await api.GetAsync($"{Base}/{token.GetProperty("id").GetInt32()}", Ct)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.False(disabled.GetProperty("isActive").GetBoolean());
    }

    [Fact]
    public async Task Tokens_on_public_repositories_and_unknown_repositories_are_refused()
    {
        await api.PatchJsonAsync($"/api/v1/repos/{repo}", new { visibility = "public" });

        var onPublic = await (await api.PostAsJsonAsync(Base, new { name = "x" }, Ct)).AssertProblemAsync(400);
        Assert.NotEmpty(onPublic.ErrorsFor("repo"));
        await (await api.PostAsJsonAsync("/api/v1/repos/no-such-repo/entitlements", new { name = "x" }, Ct)).AssertProblemAsync(404);
    }
}
