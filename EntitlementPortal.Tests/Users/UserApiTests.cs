using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EntitlementPortal.Identity;
using EntitlementPortal.Tests.Support;

namespace EntitlementPortal.Tests.Users;

/// <summary>/api/v1/users over real HTTP, as the contract promises it.</summary>
public sealed class UserApiTests : IAsyncDisposable
{
    private readonly ApiAppFactory app = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Adding_a_user_without_a_password_answers_201_with_a_one_time_set_password_url()
    {
        using var api = app.CreateApiClient();

        var response = await api.PostAsJsonAsync("/api/v1/users",
            new { email = "bot@example.com", name = "Billing bot", roles = new[] { "TokenManager" } }, Ct);

        var body = await response.ReadJsonAsync(HttpStatusCode.Created);
        var id = body.GetProperty("id").GetString()!;
        Assert.Equal($"/api/v1/users/{id}", response.Headers.Location?.OriginalString);
        Assert.Equal("bot@example.com", body.GetProperty("email").GetString());
        Assert.Equal("Billing bot", body.GetProperty("name").GetString());
        Assert.Equal(["TokenManager"], body.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
        Assert.False(body.GetProperty("isLocked").GetBoolean());
        Assert.Equal(JsonValueKind.Null, body.GetProperty("lastSignInAt").ValueKind);
        Assert.True(body.TryGetProperty("createdAt", out _));
        var link = body.GetProperty("setPasswordUrl").GetString()!;
        Assert.StartsWith($"{app.RootUri}Account/SetPassword?userId={id}&code=", link);

        var read = await (await api.GetAsync($"/api/v1/users/{id}", Ct)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.False(read.TryGetProperty("setPasswordUrl", out _));
        Assert.False(read.TryGetProperty("password", out _));
    }

    [Fact]
    public async Task A_password_given_is_set_and_a_refused_one_is_a_400_keyed_by_password()
    {
        using var api = app.CreateApiClient();

        var weak = await api.PostAsJsonAsync("/api/v1/users", new { email = "weak@example.com", password = "short" }, Ct);
        var strong = await api.PostAsJsonAsync("/api/v1/users", new { email = "strong@example.com", password = "Str0ng-password!" }, Ct);

        Assert.NotEmpty((await weak.AssertProblemAsync(400)).ErrorsFor("password"));
        var created = await strong.ReadJsonAsync(HttpStatusCode.Created);
        Assert.Equal(JsonValueKind.Null, created.GetProperty("setPasswordUrl").ValueKind);
        var list = await (await api.GetAsync("/api/v1/users?search=example.com", Ct)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.DoesNotContain("weak@example.com", list.GetRawText(), StringComparison.Ordinal);
        using var browser = app.CreatePortalClient();
        await AccountSession.SignInAsync(browser, "strong@example.com", "Str0ng-password!");
        var dashboard = await browser.GetStringAsync("/", Ct);
        Assert.Contains("Dashboard", dashboard, StringComparison.Ordinal);
        Assert.Contains("strong@example.com", dashboard, StringComparison.Ordinal);
        // A successful portal sign-in is recorded.
        var read = await (await api.GetAsync($"/api/v1/users/{created.GetProperty("id").GetString()}", Ct)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(JsonValueKind.String, read.GetProperty("lastSignInAt").ValueKind);
    }

    [Fact]
    public async Task A_duplicate_email_is_409_keyed_by_email()
    {
        using var api = app.CreateApiClient();

        var response = await api.PostAsJsonAsync("/api/v1/users", new { email = ApiAppFactory.AdminEmail.ToUpperInvariant() }, Ct);

        Assert.NotEmpty((await response.AssertProblemAsync(409)).ErrorsFor("email"));
        var list = await (await api.GetAsync("/api/v1/users", Ct)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(1, list.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task An_unknown_id_is_404_on_every_route()
    {
        using var api = app.CreateApiClient();

        await (await api.GetAsync("/api/v1/users/nobody", Ct)).AssertProblemAsync(404);
        await (await api.PatchJsonAsync("/api/v1/users/nobody", new { name = "x" })).AssertProblemAsync(404);
        await (await api.DeleteAsync("/api/v1/users/nobody", Ct)).AssertProblemAsync(404);
        await (await api.GetAsync("/api/v1/users/nobody/api-keys", Ct)).AssertProblemAsync(404);
    }

    [Fact]
    public async Task Patch_sets_only_the_fields_sent_and_refuses_unknown_fields_and_a_password()
    {
        using var api = app.CreateApiClient();
        var id = await CreateAsync(api, "pat@example.com", "TokenManager");

        var renamed = await (await api.PatchJsonAsync($"/api/v1/users/{id}", new { name = "Pat" })).ReadJsonAsync(HttpStatusCode.OK);
        var unknown = await api.PatchJsonAsync($"/api/v1/users/{id}", new { nickname = "P" });
        var password = await api.PatchJsonAsync($"/api/v1/users/{id}", new { password = "N3w-password!" });
        var badRole = await api.PatchJsonAsync($"/api/v1/users/{id}", new { roles = new[] { "Root" } });

        Assert.Equal("Pat", renamed.GetProperty("name").GetString());
        Assert.Equal(["TokenManager"], renamed.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
        Assert.NotEmpty((await unknown.AssertProblemAsync(400)).ErrorsFor("nickname"));
        Assert.NotEmpty((await password.AssertProblemAsync(400)).ErrorsFor("password"));
        Assert.NotEmpty((await badRole.AssertProblemAsync(400)).ErrorsFor("roles"));
        var read = await (await api.GetAsync($"/api/v1/users/{id}", Ct)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(["TokenManager"], read.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
    }

    [Fact]
    public async Task An_administrator_cannot_change_their_own_roles_lock_or_remove_themselves()
    {
        using var api = app.CreateApiClient();
        var self = (await (await api.GetAsync("/api/v1/users", Ct)).ReadJsonAsync(HttpStatusCode.OK))
            .GetProperty("items")[0].GetProperty("id").GetString()!;

        var roles = await api.PatchJsonAsync($"/api/v1/users/{self}", new { roles = new[] { "AccountManager" } });
        var locked = await api.PatchJsonAsync($"/api/v1/users/{self}", new { isLocked = true });
        var removed = await api.DeleteAsync($"/api/v1/users/{self}", Ct);

        Assert.NotEmpty((await roles.AssertProblemAsync(409)).ErrorsFor("roles"));
        Assert.NotEmpty((await locked.AssertProblemAsync(409)).ErrorsFor("isLocked"));
        await removed.AssertProblemAsync(409);
        var read = await (await api.GetAsync($"/api/v1/users/{self}", Ct)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(["Administrator"], read.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
        Assert.False(read.GetProperty("isLocked").GetBoolean());
    }

    [Fact]
    public async Task Only_administrators_reach_the_users_routes()
    {
        var key = await app.CreateUserWithKeyAsync("tm@example.com", Roles.TokenManager, Roles.AccountManager);
        using var api = app.CreateApiClient(key);

        await (await api.GetAsync("/api/v1/users", Ct)).AssertProblemAsync(403);
        await (await api.PostAsJsonAsync("/api/v1/users", new { email = "x@example.com", roles = new[] { "Administrator" } }, Ct)).AssertProblemAsync(403);
    }

    [Fact]
    public async Task A_locked_users_key_gets_401_on_the_next_request_and_works_again_when_unlocked()
    {
        var key = await app.CreateUserWithKeyAsync("locked@example.com", Roles.TokenManager);
        using var admin = app.CreateApiClient();
        using var theirs = app.CreateApiClient(key);
        Assert.Equal(HttpStatusCode.OK, (await theirs.GetAsync("/api/v1/repos", Ct)).StatusCode);
        var id = await IdOfAsync(admin, "locked@example.com");

        var locked = await (await admin.PatchJsonAsync($"/api/v1/users/{id}", new { isLocked = true })).ReadJsonAsync(HttpStatusCode.OK);
        Assert.True(locked.GetProperty("isLocked").GetBoolean());
        await (await theirs.GetAsync("/api/v1/repos", Ct)).AssertProblemAsync(401);

        await admin.PatchJsonAsync($"/api/v1/users/{id}", new { isLocked = false });
        Assert.Equal(HttpStatusCode.OK, (await theirs.GetAsync("/api/v1/repos", Ct)).StatusCode);
    }

    [Fact]
    public async Task A_removed_users_key_gets_401_on_the_next_request()
    {
        var key = await app.CreateUserWithKeyAsync("gone@example.com", Roles.TokenManager);
        using var admin = app.CreateApiClient();
        using var theirs = app.CreateApiClient(key);
        Assert.Equal(HttpStatusCode.OK, (await theirs.GetAsync("/api/v1/repos", Ct)).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/v1/users/{await IdOfAsync(admin, "gone@example.com")}", Ct)).StatusCode);

        await (await theirs.GetAsync("/api/v1/repos", Ct)).AssertProblemAsync(401);
        await (await admin.GetAsync($"/api/v1/users/{await IdOfAsync(admin, "gone@example.com")}", Ct)).AssertProblemAsync(404);
    }

    [Fact]
    public async Task An_administrator_creates_lists_and_revokes_a_service_accounts_api_key()
    {
        using var admin = app.CreateApiClient();
        var bot = await CreateAsync(admin, "billing-bot@example.com", "TokenManager");

        var response = await admin.PostAsJsonAsync($"/api/v1/users/{bot}/api-keys", new { name = "Billing sync" }, Ct);
        var created = await response.ReadJsonAsync(HttpStatusCode.Created);
        var key = created.GetProperty("key").GetString()!;
        var keyId = created.GetProperty("id").GetInt32();
        Assert.Equal("Billing sync", created.GetProperty("name").GetString());
        Assert.StartsWith(created.GetProperty("prefix").GetString()!, key, StringComparison.Ordinal);
        Assert.True(created.TryGetProperty("createdAt", out _));
        using var botClient = app.CreateApiClient(key);
        Assert.Equal(HttpStatusCode.OK, (await botClient.GetAsync("/api/v1/repos", Ct)).StatusCode);

        // The bot sees its own keys (never a secret); it may not see anyone else's.
        var own = await (await botClient.GetAsync($"/api/v1/users/{bot}/api-keys", Ct)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("Billing sync", Assert.Single(own.EnumerateArray()).GetProperty("name").GetString());
        Assert.DoesNotContain(key, own.GetRawText(), StringComparison.Ordinal);
        var adminId = await IdOfAsync(admin, ApiAppFactory.AdminEmail);
        await (await botClient.GetAsync($"/api/v1/users/{adminId}/api-keys", Ct)).AssertProblemAsync(403);
        await (await botClient.PostAsJsonAsync($"/api/v1/users/{adminId}/api-keys", new { name = "sneaky" }, Ct)).AssertProblemAsync(403);

        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/v1/users/{bot}/api-keys/{keyId}", Ct)).StatusCode);
        await (await botClient.GetAsync("/api/v1/repos", Ct)).AssertProblemAsync(401);
    }

    private async Task<string> CreateAsync(HttpClient api, string email, params string[] roles) =>
        (await (await api.PostAsJsonAsync("/api/v1/users", new { email, roles }, Ct)).ReadJsonAsync(HttpStatusCode.Created))
            .GetProperty("id").GetString()!;

    private static async Task<string?> IdOfAsync(HttpClient api, string email)
    {
        var list = await (await api.GetAsync($"/api/v1/users?search={Uri.EscapeDataString(email)}", Ct)).ReadJsonAsync(HttpStatusCode.OK);
        return list.GetProperty("items").EnumerateArray().Select(u => u.GetProperty("id").GetString()).FirstOrDefault() ?? "removed";
    }

    public ValueTask DisposeAsync() => app.DisposeAsync();
}
