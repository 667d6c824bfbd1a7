using System.Net;
using System.Net.Http.Json;
using EntitlementPortal.Identity;
using EntitlementPortal.Tests.Support;

namespace EntitlementPortal.Tests.Tokens.UserTokens;

/// <summary>The three user token routes over real HTTP with the members' own API keys: bodies and exact statuses.</summary>
public sealed class UserTokenApiTests : UserTokenHttpTestBase
{
    [Fact]
    public async Task Reader_gets_the_same_user_token_with_its_secret_and_entitlement_field_names()
    {
        var bob = await MemberAsync("bob@example.com");

        var first = await UserTokenAsync(bob);
        var second = await UserTokenAsync(bob);

        Assert.Equal("user", first.GetProperty("kind").GetString());
        Assert.Equal(bob.Id, first.GetProperty("userId").GetString());
        Assert.Equal(JsonValueKindNull, first.GetProperty("customerId").ValueKind);
        Assert.Equal(JsonValueKindNull, first.GetProperty("limitDownloads").ValueKind);
        Assert.Equal(0, first.GetProperty("allowedCidrs").GetArrayLength());
        Assert.Equal(Repo, first.GetProperty("repo").GetString());
        Assert.Equal(first.GetProperty("id").GetInt32(), second.GetProperty("id").GetInt32());
        Assert.Equal(SecretOf(first), SecretOf(second));
        Assert.Equal(HttpStatusCode.OK, (await GetAsync($"/dl/{SecretOf(first)}/{FilePath}")).StatusCode);
    }

    [Fact]
    public async Task Refresh_returns_a_new_secret_and_the_old_one_gets_401_at_download()
    {
        var bob = await MemberAsync("bob@example.com");
        var old = SecretOf(await UserTokenAsync(bob));

        // No body and no content type: `curl -X POST` as is.
        var refreshed = await (await bob.Client.PostAsync($"/api/v1/repos/{Repo}/user-token/refresh", null, Ct)).ReadJsonAsync(HttpStatusCode.OK);

        Assert.NotEqual(old, SecretOf(refreshed));
        Assert.Equal(SecretOf(refreshed), SecretOf(await UserTokenAsync(bob)));
        await AssertRefusedAsync(await GetAsync($"/dl/{old}/{FilePath}"), 401, "unknown_token");
        Assert.Equal(HttpStatusCode.OK, (await GetAsync($"/dl/{SecretOf(refreshed)}/{FilePath}")).StatusCode);
    }

    [Fact]
    public async Task My_user_tokens_is_a_list_of_the_callers_own_tokens_only()
    {
        (await Api.PostAsJsonAsync("/api/v1/repos", new { slug = "beta", name = "Beta" }, Ct)).EnsureSuccessStatusCode();
        var bob = await MemberAsync("bob@example.com");
        await GrantAsync("beta", bob.Id, "write");
        var carol = await MemberAsync("carol@example.com");
        await UserTokenAsync(bob);
        await UserTokenAsync(bob, "beta");
        await UserTokenAsync(carol);

        var mine = await (await bob.Client.GetAsync("/api/v1/user-tokens", Ct)).ReadJsonAsync(HttpStatusCode.OK);
        var empty = await (await Api.GetAsync("/api/v1/user-tokens", Ct)).ReadJsonAsync(HttpStatusCode.OK);

        Assert.Equal(2, mine.GetProperty("total").GetInt32());
        Assert.Equal([Repo, "beta"], mine.GetProperty("items").EnumerateArray().Select(t => t.GetProperty("repo").GetString()).Order());
        Assert.All(mine.GetProperty("items").EnumerateArray(), t => Assert.Equal(bob.Id, t.GetProperty("userId").GetString()));
        Assert.Equal(0, empty.GetProperty("total").GetInt32());
        await (await bob.Client.GetAsync("/api/v1/user-tokens?pageSize=0", Ct)).AssertProblemAsync(400);
    }

    [Fact]
    public async Task Status_codes_follow_the_contract()
    {
        (await Api.PostAsJsonAsync("/api/v1/repos", new { slug = "open", name = "Open", visibility = "public" }, Ct)).EnsureSuccessStatusCode();
        (await Api.PostAsJsonAsync("/api/v1/repos", new { slug = "quiet", name = "Quiet", userTokensEnabled = false }, Ct)).EnsureSuccessStatusCode();
        var manager = await MemberAsync("manager@example.com", privilege: null, roles: Roles.TokenManager);
        var stranger = await MemberAsync("stranger@example.com", privilege: null);
        var bob = await MemberAsync("bob@example.com");
        await GrantAsync("quiet", bob.Id, "read");

        await (await Anonymous.GetAsync($"/api/v1/repos/{Repo}/user-token", Ct)).AssertProblemAsync(401);
        await (await Anonymous.PostAsync($"/api/v1/repos/{Repo}/user-token/refresh", null, Ct)).AssertProblemAsync(401);
        await (await Anonymous.GetAsync("/api/v1/user-tokens", Ct)).AssertProblemAsync(401);
        await (await manager.Client.GetAsync($"/api/v1/repos/{Repo}/user-token", Ct)).AssertProblemAsync(403);
        await (await manager.Client.PostAsync($"/api/v1/repos/{Repo}/user-token/refresh", null, Ct)).AssertProblemAsync(403);
        await (await stranger.Client.GetAsync($"/api/v1/repos/{Repo}/user-token", Ct)).AssertProblemAsync(404);
        await (await bob.Client.GetAsync("/api/v1/repos/no-such-repo/user-token", Ct)).AssertProblemAsync(404);
        await (await bob.Client.GetAsync("/api/v1/repos/open/user-token", Ct)).AssertProblemAsync(409);
        await (await bob.Client.GetAsync("/api/v1/repos/quiet/user-token", Ct)).AssertProblemAsync(409);
        await (await bob.Client.PostAsync("/api/v1/repos/quiet/user-token/refresh", null, Ct)).AssertProblemAsync(409);
    }

    [Fact]
    public async Task Entitlement_routes_refuse_a_user_token_with_404()
    {
        var bob = await MemberAsync("bob@example.com");
        var token = await UserTokenAsync(bob);
        var path = $"/api/v1/repos/{Repo}/entitlements/{token.GetProperty("id").GetInt32()}";

        await (await Api.GetAsync(path, Ct)).AssertProblemAsync(404);
        await (await Api.PatchJsonAsync(path, new { limitDownloads = 1 })).AssertProblemAsync(404);
        await (await Api.DeleteAsync(path, Ct)).AssertProblemAsync(404);
        foreach (var action in new[] { "disable", "enable", "refresh", "reset" })
        {
            await (await Api.PostAsync($"{path}/{action}", null, Ct)).AssertProblemAsync(404);
        }
        await (await Api.GetAsync($"{path}/usage", Ct)).AssertProblemAsync(404);
        var standard = await (await Api.GetAsync($"/api/v1/repos/{Repo}/entitlements", Ct)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(0, standard.GetProperty("total").GetInt32());
        Assert.Equal(HttpStatusCode.OK, (await GetAsync($"/dl/{SecretOf(token)}/{FilePath}")).StatusCode);
    }

    [Fact]
    public async Task OpenApi_document_describes_the_user_token_routes_under_their_tag()
    {
        var document = await (await Api.GetAsync("/openapi/v1.json", Ct)).ReadJsonAsync(HttpStatusCode.OK);
        var paths = document.GetProperty("paths");

        foreach (var (path, method) in new[] { ("/api/v1/repos/{repo}/user-token", "get"),
            ("/api/v1/repos/{repo}/user-token/refresh", "post"), ("/api/v1/user-tokens", "get") })
        {
            var operation = paths.GetProperty(path).GetProperty(method);
            Assert.Equal("User tokens", operation.GetProperty("tags")[0].GetString());
            Assert.False(string.IsNullOrWhiteSpace(operation.GetProperty("summary").GetString()));
        }
    }

    private const System.Text.Json.JsonValueKind JsonValueKindNull = System.Text.Json.JsonValueKind.Null;
}
