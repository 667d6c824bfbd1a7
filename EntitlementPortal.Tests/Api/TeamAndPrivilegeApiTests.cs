using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EntitlementPortal.Identity;
using EntitlementPortal.Tests.Support;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace EntitlementPortal.Tests.Api;

/// <summary>Teams and repository privileges over real HTTP, as the contract promises them.</summary>
public sealed class TeamAndPrivilegeApiTests(ApiAppFactory app) : IClassFixture<ApiAppFactory>
{
    private readonly HttpClient api = app.CreateApiClient();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<string> UserIdAsync(string email)
    {
        using var scope = app.Services.CreateScope();
        var user = await scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>().FindByEmailAsync(email);
        return user!.Id;
    }

    /// <summary>A user without any role, with an API key, and that user's id.</summary>
    private async Task<(HttpClient Client, string Id)> MemberAsync(string email)
    {
        var key = await app.CreateUserWithKeyAsync(email);
        return (app.CreateApiClient(key), await UserIdAsync(email));
    }

    private async Task CreateRepositoryAsync(string slug, string visibility = "private") =>
        (await api.PostAsJsonAsync("/api/v1/repos", new { slug, name = slug, visibility }, Ct)).EnsureSuccessStatusCode();

    private static string[] Slugs(JsonElement page) =>
        page.GetProperty("items").EnumerateArray().Select(r => r.GetProperty("slug").GetString()!).ToArray();

    [Fact]
    public async Task OpenApi_document_describes_the_team_and_privilege_routes()
    {
        var document = await (await api.GetAsync("/openapi/v1.json", Ct)).ReadJsonAsync(HttpStatusCode.OK);

        var paths = document.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToArray();
        Assert.Contains("/api/v1/teams", paths);
        Assert.Contains("/api/v1/teams/{team}/members/{userId}", paths);
        Assert.Contains("/api/v1/repos/{repo}/privileges", paths);
        Assert.Contains("/api/v1/repos/{repo}/privileges/users/{userId}", paths);
        Assert.Contains("/api/v1/repos/{repo}/privileges/teams/{team}", paths);
    }

    [Fact]
    public async Task Team_lifecycle_create_rename_members_delete()
    {
        var (_, bob) = await MemberAsync("team-bob@example.com");

        var created = await (await api.PostAsJsonAsync("/api/v1/teams", new { slug = "release-team", name = "Release" }, Ct))
            .ReadJsonAsync(HttpStatusCode.Created);
        Assert.Equal(0, created.GetProperty("members").GetArrayLength());

        var added = await (await api.PutAsync($"/api/v1/teams/release-team/members/{bob}", null, Ct)).ReadJsonAsync(HttpStatusCode.OK);
        var again = await (await api.PutAsync($"/api/v1/teams/release-team/members/{bob}", null, Ct)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal([bob], added.GetProperty("members").EnumerateArray().Select(m => m.GetString()));
        Assert.Equal(1, again.GetProperty("members").GetArrayLength());

        var renamed = await (await api.PatchJsonAsync("/api/v1/teams/release-team", new { name = "Release engineers" })).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(("release-team", "Release engineers"), (renamed.GetProperty("slug").GetString(), renamed.GetProperty("name").GetString()));
        var listed = await (await api.GetAsync("/api/v1/teams?search=release", Ct)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(1, listed.GetProperty("total").GetInt32());

        Assert.Equal(HttpStatusCode.NoContent, (await api.DeleteAsync($"/api/v1/teams/release-team/members/{bob}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await api.DeleteAsync($"/api/v1/teams/release-team/members/{bob}", Ct)).StatusCode);
        var fetched = await (await api.GetAsync("/api/v1/teams/release-team", Ct)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(0, fetched.GetProperty("members").GetArrayLength());

        Assert.Equal(HttpStatusCode.NoContent, (await api.DeleteAsync("/api/v1/teams/release-team", Ct)).StatusCode);
        await (await api.GetAsync("/api/v1/teams/release-team", Ct)).AssertProblemAsync(404);
    }

    [Fact]
    public async Task Duplicate_or_invalid_team_slug_is_refused_by_field()
    {
        (await api.PostAsJsonAsync("/api/v1/teams", new { slug = "dup-team", name = "First" }, Ct)).EnsureSuccessStatusCode();

        var duplicate = await (await api.PostAsJsonAsync("/api/v1/teams", new { slug = "dup-team", name = "Second" }, Ct)).AssertProblemAsync(409);
        var invalid = await (await api.PostAsJsonAsync("/api/v1/teams", new { slug = "Bad Slug", name = "Bad" }, Ct)).AssertProblemAsync(400);

        Assert.Contains("already exists", duplicate.ErrorsFor("slug")[0]);
        Assert.NotEmpty(invalid.ErrorsFor("slug"));
        var kept = await (await api.GetAsync("/api/v1/teams/dup-team", Ct)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("First", kept.GetProperty("name").GetString());
    }

    [Fact]
    public async Task Unknown_team_or_user_is_404()
    {
        (await api.PostAsJsonAsync("/api/v1/teams", new { slug = "known-team", name = "Known" }, Ct)).EnsureSuccessStatusCode();

        await (await api.PutAsync("/api/v1/teams/known-team/members/no-such-user", null, Ct)).AssertProblemAsync(404);
        await (await api.PutAsync($"/api/v1/teams/no-such-team/members/{await UserIdAsync(ApiAppFactory.AdminEmail)}", null, Ct)).AssertProblemAsync(404);
        await (await api.PatchJsonAsync("/api/v1/teams/no-such-team", new { name = "x" })).AssertProblemAsync(404);
        await (await api.DeleteAsync("/api/v1/teams/no-such-team", Ct)).AssertProblemAsync(404);
    }

    [Fact]
    public async Task Teams_are_for_administrators_only()
    {
        var key = await app.CreateUserWithKeyAsync("team-tm@example.com", Roles.TokenManager);
        var manager = app.CreateApiClient(key);

        await (await manager.GetAsync("/api/v1/teams", Ct)).AssertProblemAsync(403);
        await (await manager.PostAsJsonAsync("/api/v1/teams", new { slug = "sneaky", name = "Sneaky" }, Ct)).AssertProblemAsync(403);

        await (await api.GetAsync("/api/v1/teams/sneaky", Ct)).AssertProblemAsync(404);
    }

    [Fact]
    public async Task Privileges_grant_list_change_and_revoke_for_users_and_teams()
    {
        await CreateRepositoryAsync("priv-repo");
        var (_, bob) = await MemberAsync("priv-bob@example.com");
        (await api.PostAsJsonAsync("/api/v1/teams", new { slug = "priv-team", name = "Privileged" }, Ct)).EnsureSuccessStatusCode();

        var granted = await (await api.PutAsJsonAsync($"/api/v1/repos/priv-repo/privileges/users/{bob}", new { privilege = "read" }, Ct))
            .ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal((bob, "read"), (granted.GetProperty("userId").GetString(), granted.GetProperty("privilege").GetString()));
        Assert.False(granted.TryGetProperty("team", out _));
        (await api.PutAsJsonAsync($"/api/v1/repos/priv-repo/privileges/users/{bob}", new { privilege = "admin" }, Ct)).EnsureSuccessStatusCode();
        (await api.PutAsJsonAsync("/api/v1/repos/priv-repo/privileges/teams/priv-team", new { privilege = "write" }, Ct)).EnsureSuccessStatusCode();

        var list = await (await api.GetAsync("/api/v1/repos/priv-repo/privileges", Ct)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(2, list.GetProperty("total").GetInt32());
        var items = list.GetProperty("items").EnumerateArray().ToArray();
        Assert.Equal((bob, "admin"), (items[0].GetProperty("userId").GetString(), items[0].GetProperty("privilege").GetString()));
        Assert.Equal(("priv-team", "write"), (items[1].GetProperty("team").GetString(), items[1].GetProperty("privilege").GetString()));
        Assert.False(items[1].TryGetProperty("userId", out _));

        Assert.Equal(HttpStatusCode.NoContent, (await api.DeleteAsync($"/api/v1/repos/priv-repo/privileges/users/{bob}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await api.DeleteAsync("/api/v1/repos/priv-repo/privileges/teams/priv-team", Ct)).StatusCode);
        var empty = await (await api.GetAsync("/api/v1/repos/priv-repo/privileges", Ct)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(0, empty.GetProperty("total").GetInt32());
    }

    [Theory]
    [InlineData("""{ "privilege": "owner" }""")]
    [InlineData("""{ "privilege": "" }""")]
    [InlineData("""{ }""")]
    public async Task Bad_privilege_is_400_keyed_by_privilege(string body)
    {
        var repo = $"bad-priv-{Guid.NewGuid():N}"[..20];
        await CreateRepositoryAsync(repo);
        var (_, bob) = await MemberAsync($"{repo}@example.com");

        var response = await api.PutAsync($"/api/v1/repos/{repo}/privileges/users/{bob}",
            new StringContent(body, System.Text.Encoding.UTF8, "application/json"), Ct);

        var problem = await response.AssertProblemAsync(400);
        Assert.NotEmpty(problem.ErrorsFor("privilege"));
        var list = await (await api.GetAsync($"/api/v1/repos/{repo}/privileges", Ct)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(0, list.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Unknown_repository_user_or_team_is_404_for_privileges()
    {
        await CreateRepositoryAsync("known-repo");
        var admin = await UserIdAsync(ApiAppFactory.AdminEmail);

        await (await api.PutAsJsonAsync($"/api/v1/repos/no-such-repo/privileges/users/{admin}", new { privilege = "read" }, Ct)).AssertProblemAsync(404);
        await (await api.PutAsJsonAsync("/api/v1/repos/known-repo/privileges/users/no-such-user", new { privilege = "read" }, Ct)).AssertProblemAsync(404);
        await (await api.PutAsJsonAsync("/api/v1/repos/known-repo/privileges/teams/no-such-team", new { privilege = "read" }, Ct)).AssertProblemAsync(404);
        await (await api.DeleteAsync("/api/v1/repos/known-repo/privileges/teams/no-such-team", Ct)).AssertProblemAsync(404);
        await (await api.GetAsync("/api/v1/repos/no-such-repo/privileges", Ct)).AssertProblemAsync(404);
    }

    [Fact]
    public async Task A_write_member_granting_is_403_and_nothing_changes_and_an_outsider_gets_404()
    {
        await CreateRepositoryAsync("guarded");
        var (writer, writerId) = await MemberAsync("guard-writer@example.com");
        var (outsider, outsiderId) = await MemberAsync("guard-outsider@example.com");
        (await api.PutAsJsonAsync($"/api/v1/repos/guarded/privileges/users/{writerId}", new { privilege = "write" }, Ct)).EnsureSuccessStatusCode();

        var refused = await (await writer.PutAsJsonAsync($"/api/v1/repos/guarded/privileges/users/{writerId}", new { privilege = "admin" }, Ct))
            .AssertProblemAsync(403);
        await (await outsider.PutAsJsonAsync($"/api/v1/repos/guarded/privileges/users/{outsiderId}", new { privilege = "admin" }, Ct))
            .AssertProblemAsync(404);

        Assert.Contains("members (user and team privileges) in 'guarded' needs the Administrator role or admin on the repository", refused.GetProperty("detail").GetString());
        var list = await (await api.GetAsync("/api/v1/repos/guarded/privileges", Ct)).ReadJsonAsync(HttpStatusCode.OK);
        var only = Assert.Single(list.GetProperty("items").EnumerateArray().ToArray());
        Assert.Equal("write", only.GetProperty("privilege").GetString());
    }

    [Fact]
    public async Task Repository_admin_manages_members_and_a_member_sees_the_private_repository()
    {
        await CreateRepositoryAsync("team-owned");
        await CreateRepositoryAsync("not-theirs");
        var (lead, leadId) = await MemberAsync("owned-lead@example.com");
        var (member, memberId) = await MemberAsync("owned-member@example.com");
        (await api.PostAsJsonAsync("/api/v1/teams", new { slug = "owners", name = "Owners" }, Ct)).EnsureSuccessStatusCode();
        (await api.PutAsync($"/api/v1/teams/owners/members/{leadId}", null, Ct)).EnsureSuccessStatusCode();
        (await api.PutAsJsonAsync("/api/v1/repos/team-owned/privileges/teams/owners", new { privilege = "admin" }, Ct)).EnsureSuccessStatusCode();
        Assert.Empty(Slugs(await (await member.GetAsync("/api/v1/repos?visibility=private", Ct)).ReadJsonAsync(HttpStatusCode.OK)));

        (await lead.PutAsJsonAsync($"/api/v1/repos/team-owned/privileges/users/{memberId}", new { privilege = "read" }, Ct)).EnsureSuccessStatusCode();

        Assert.Equal(["team-owned"], Slugs(await (await member.GetAsync("/api/v1/repos?visibility=private", Ct)).ReadJsonAsync(HttpStatusCode.OK)));
        (await member.GetAsync("/api/v1/repos/team-owned", Ct)).EnsureSuccessStatusCode();
        await (await member.GetAsync("/api/v1/repos/not-theirs", Ct)).AssertProblemAsync(404);
        var audit = await (await api.GetAsync("/api/v1/audit?entityType=repository&entityId=team-owned", Ct)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Contains(audit.GetProperty("items").EnumerateArray(),
            e => e.GetProperty("action").GetString() == "grant" && e.GetProperty("actorName").GetString() == "owned-lead@example.com");
    }
}
