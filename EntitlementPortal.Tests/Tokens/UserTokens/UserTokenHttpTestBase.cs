using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EntitlementPortal.Tests.Downloads;
using EntitlementPortal.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace EntitlementPortal.Tests.Tokens.UserTokens;

/// <summary>The download test app (private repository "acme" with one file) plus members made through the API.</summary>
public abstract class UserTokenHttpTestBase : DownloadTestBase
{
    protected sealed record Member(string Id, string Email, HttpClient Client);

    /// <summary>A user with an API key of their own, optionally granted a privilege on a repository by the administrator.</summary>
    protected async Task<Member> MemberAsync(string email, string? privilege = "read", string repo = Repo, params string[] roles)
    {
        var key = await App.CreateUserWithKeyAsync(email, roles);
        var id = await App.WithDbAsync(db => db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync());
        if (privilege is not null)
        {
            await GrantAsync(repo, id, privilege);
        }
        return new Member(id, email, App.CreateApiClient(key));
    }

    protected async Task GrantAsync(string repo, string userId, string privilege) =>
        (await Api.PutAsJsonAsync($"/api/v1/repos/{repo}/privileges/users/{userId}", new { privilege }, Ct)).EnsureSuccessStatusCode();

    protected static async Task<JsonElement> UserTokenAsync(Member member, string repo = Repo) =>
        await (await member.Client.GetAsync($"/api/v1/repos/{repo}/user-token", Ct)).ReadJsonAsync(HttpStatusCode.OK);

    protected static string SecretOf(JsonElement token) => token.GetProperty("token").GetString()!;

    protected async Task<JsonElement> AssertRefusedAsync(HttpResponseMessage response, int status, string reason)
    {
        var problem = await response.AssertProblemAsync(status);
        Assert.Equal(reason, problem.GetProperty("reason").GetString());
        return problem;
    }

    protected async Task SetUserTokensAsync(bool on, string repo = Repo) =>
        (await Api.PatchJsonAsync($"/api/v1/repos/{repo}", new { userTokensEnabled = on })).EnsureSuccessStatusCode();
}
