using System.Net;
using EntitlementPortal.Features.Tokens;
using EntitlementPortal.Identity;
using EntitlementPortal.Tests.Support;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace EntitlementPortal.Tests.Downloads;

public sealed class TrustedProxyDownloadTests() : DownloadTestBase(new() { ["ReverseProxy:TrustedProxies:0"] = "127.0.0.1" })
{
    [Fact]
    public async Task Behind_a_trusted_proxy_the_forwarded_address_is_the_client()
    {
        var (_, token) = await CreateTokenAsync(new { name = "Office", allowedCidrs = new[] { "203.0.113.0/24" } });

        var fromOffice = await GetAsync($"/dl/{token}/{FilePath}", r => r.Headers.Add("X-Forwarded-For", "203.0.113.5"));
        var fromElsewhere = await GetAsync($"/dl/{token}/{FilePath}", r => r.Headers.Add("X-Forwarded-For", "198.51.100.9"));

        Assert.Equal(HttpStatusCode.OK, fromOffice.StatusCode);
        await fromElsewhere.AssertProblemAsync(403);
        var events = await EventsAsync(2);
        Assert.Equal(["203.0.113.5", "198.51.100.9"], events.Select(e => e.ClientIp));
    }
}

public sealed class UntrustedForwardingDownloadTests : DownloadTestBase
{
    [Fact]
    public async Task A_client_cannot_choose_its_address_with_x_forwarded_for()
    {
        var (_, token) = await CreateTokenAsync(new { name = "Office", allowedCidrs = new[] { "203.0.113.0/24" } });

        var spoofed = await GetAsync($"/dl/{token}/{FilePath}", r => r.Headers.Add("X-Forwarded-For", "203.0.113.5"));

        Assert.Equal("ip_not_allowed", (await spoofed.AssertProblemAsync(403)).GetProperty("reason").GetString());
    }

    [Fact]
    public async Task A_user_token_stops_working_the_moment_its_user_loses_access()
    {
        string secret;
        string userId;
        using (var scope = App.Services.CreateScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
            var user = new ApplicationUser { UserName = "dev@example.com", Email = "dev@example.com" };
            Assert.True((await users.CreateAsync(user, "Dev-pass1!")).Succeeded);
            await users.AddToRoleAsync(user, Roles.AccountManager);
            userId = user.Id;
            // User tokens are made for members automatically; here one is stored directly, as that feature would.
            var protector = scope.ServiceProvider.GetRequiredService<TokenSecretProtector>();
            secret = TokenSecret.Generate();
            var repositoryId = await App.WithDbAsync(db => db.Set<EntitlementPortal.Features.Repositories.Repository>().Where(r => r.Slug == Repo).Select(r => r.Id).SingleAsync());
            await App.WithDbAsync(async db =>
            {
                db.Add(new EntitlementToken
                {
                    RepositoryId = repositoryId, Kind = TokenKind.User, UserId = userId, Name = "dev@example.com",
                    SecretDigest = protector.Digest(secret), SecretCiphertext = protector.Protect(secret), SecretHint = TokenSecret.Mask(secret),
                });
                return await db.SaveChangesAsync();
            });
        }
        Assert.Equal(HttpStatusCode.OK, (await GetAsync($"/dl/{secret}/{FilePath}")).StatusCode);

        using (var scope = App.Services.CreateScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
            await users.RemoveFromRoleAsync((await users.FindByIdAsync(userId))!, Roles.AccountManager);
        }

        var refused = await (await GetAsync($"/dl/{secret}/{FilePath}")).AssertProblemAsync(401);
        Assert.Equal("user_lost_access", refused.GetProperty("reason").GetString());
    }
}
