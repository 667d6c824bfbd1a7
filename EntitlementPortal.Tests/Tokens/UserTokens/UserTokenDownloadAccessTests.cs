using System.Net;
using System.Net.Http.Json;
using EntitlementPortal.Identity;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace EntitlementPortal.Tests.Tokens.UserTokens;

/// <summary>
/// A user token (and a "bot user" on Basic) works only while its user can read the repository: every loss of access
/// refuses the very next download, over real HTTP.
/// </summary>
public sealed class UserTokenDownloadAccessTests : UserTokenHttpTestBase
{
    private const string Bob = "bob@example.com";
    private const string BobPassword = "Us3r-password!";

    [Fact]
    public async Task Removing_the_direct_grant_refuses_the_very_next_download()
    {
        var bob = await MemberAsync(Bob);
        var secret = SecretOf(await UserTokenAsync(bob));
        Assert.Equal(HttpStatusCode.OK, (await GetAsync($"/dl/{secret}/{FilePath}")).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await Api.DeleteAsync($"/api/v1/repos/{Repo}/privileges/users/{bob.Id}", Ct)).StatusCode);

        await AssertRefusedAsync(await GetAsync($"/dl/{secret}/{FilePath}"), 401, "user_lost_access");
        await AssertRefusedAsync(await GetAsync($"/dl/basic/{FilePath}", Basic("token", secret)), 401, "user_lost_access");
    }

    [Fact]
    public async Task Leaving_the_team_that_gave_access_refuses_the_next_download()
    {
        var bob = await MemberAsync(Bob, privilege: null);
        (await Api.PostAsJsonAsync("/api/v1/teams", new { slug = "builders", name = "Builders" }, Ct)).EnsureSuccessStatusCode();
        (await Api.PutAsync($"/api/v1/teams/builders/members/{bob.Id}", null, Ct)).EnsureSuccessStatusCode();
        (await Api.PutAsJsonAsync($"/api/v1/repos/{Repo}/privileges/teams/builders", new { privilege = "read" }, Ct)).EnsureSuccessStatusCode();
        var secret = SecretOf(await UserTokenAsync(bob));
        Assert.Equal(HttpStatusCode.OK, (await GetAsync($"/dl/{secret}/{FilePath}")).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await Api.DeleteAsync($"/api/v1/teams/builders/members/{bob.Id}", Ct)).StatusCode);

        await AssertRefusedAsync(await GetAsync($"/dl/{secret}/{FilePath}"), 401, "user_lost_access");
    }

    [Fact]
    public async Task Locking_the_user_refuses_the_next_download()
    {
        var bob = await MemberAsync(Bob);
        var secret = SecretOf(await UserTokenAsync(bob));
        Assert.Equal(HttpStatusCode.OK, (await GetAsync($"/dl/{secret}/{FilePath}")).StatusCode);

        using (var scope = App.Services.CreateScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
            Assert.True((await users.SetLockoutEndDateAsync((await users.FindByIdAsync(bob.Id))!, DateTimeOffset.MaxValue)).Succeeded);
        }

        await AssertRefusedAsync(await GetAsync($"/dl/{secret}/{FilePath}"), 401, "user_lost_access");
    }

    [Fact]
    public async Task Deleting_the_user_refuses_the_next_download()
    {
        var bob = await MemberAsync(Bob);
        var secret = SecretOf(await UserTokenAsync(bob));
        Assert.Equal(HttpStatusCode.OK, (await GetAsync($"/dl/{secret}/{FilePath}")).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await Api.DeleteAsync($"/api/v1/users/{bob.Id}", Ct)).StatusCode);

        // The user's tokens go with the account, so the secret is simply unknown now.
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync($"/dl/{secret}/{FilePath}")).StatusCode);
    }

    [Fact]
    public async Task Turning_user_tokens_off_refuses_them_with_403_and_on_again_restores_them()
    {
        var bob = await MemberAsync(Bob);
        var secret = SecretOf(await UserTokenAsync(bob));

        await SetUserTokensAsync(on: false);
        await AssertRefusedAsync(await GetAsync($"/dl/{secret}/{FilePath}"), 403, "user_tokens_off");
        await SetUserTokensAsync(on: true);

        Assert.Equal(HttpStatusCode.OK, (await GetAsync($"/dl/{secret}/{FilePath}")).StatusCode);
    }

    [Fact]
    public async Task Basic_account_needs_read_on_that_very_repository()
    {
        (await Api.PostAsJsonAsync("/api/v1/repos", new { slug = "other", name = "Other" }, Ct)).EnsureSuccessStatusCode();
        await UploadAsync("other", Package, Version, Filename, Content);
        var bob = await MemberAsync(Bob);
        var manager = await MemberAsync("manager@example.com", privilege: null, roles: Roles.TokenManager);

        var onGranted = await GetAsync($"/dl/basic/{FilePath}", Basic(Bob, BobPassword));
        var onOther = await GetAsync($"/dl/basic/other/{Package}/{Version}/{Filename}", Basic(Bob, BobPassword));
        var staffWithoutGrant = await GetAsync($"/dl/basic/{FilePath}", Basic(manager.Email, BobPassword));

        Assert.Equal(HttpStatusCode.OK, onGranted.StatusCode);
        Assert.Equal(Content, await onGranted.Content.ReadAsByteArrayAsync(Ct));
        await AssertRefusedAsync(onOther, 403, "no_access");
        await AssertRefusedAsync(staffWithoutGrant, 403, "no_access");

        Assert.Equal(HttpStatusCode.NoContent, (await Api.DeleteAsync($"/api/v1/repos/{Repo}/privileges/users/{bob.Id}", Ct)).StatusCode);
        await AssertRefusedAsync(await GetAsync($"/dl/basic/{FilePath}", Basic(Bob, BobPassword)), 403, "no_access");
    }
}
