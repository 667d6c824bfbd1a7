using System.Reflection;
using EntitlementPortal.Components.Account;
using EntitlementPortal.Features.Shared;
using EntitlementPortal.Features.Users;
using EntitlementPortal.Identity;
using EntitlementPortal.Tests.Support;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace EntitlementPortal.Tests.Users;

/// <summary>Open Blazor circuits and cookies lose a locked, removed or re-roled user within a minute.</summary>
public sealed class SessionRevalidationTests : IAsyncDisposable
{
    private readonly PortalAppFactory app = new()
    {
        Settings = { ["Bootstrap:AdminEmail"] = "ops@example.com", ["Bootstrap:AdminPassword"] = "B00tstrap-secret!" },
    };

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void Circuits_and_cookies_re_check_the_security_stamp_at_least_once_a_minute()
    {
        using var scope = app.Services.CreateScope();
        var provider = scope.ServiceProvider.GetRequiredService<AuthenticationStateProvider>();

        Assert.IsType<IdentityRevalidatingAuthenticationStateProvider>(provider);
        var interval = (TimeSpan)typeof(IdentityRevalidatingAuthenticationStateProvider)
            .GetProperty("RevalidationInterval", BindingFlags.NonPublic | BindingFlags.Instance)!.GetValue(provider)!;
        Assert.True(interval <= TimeSpan.FromMinutes(1), $"circuits re-check every {interval}");
        Assert.True(scope.ServiceProvider.GetRequiredService<IOptions<SecurityStampValidatorOptions>>().Value.ValidationInterval <= TimeSpan.FromMinutes(1));
    }

    [Theory]
    [InlineData("lock")]
    [InlineData("remove")]
    [InlineData("roles")]
    public async Task An_open_circuit_of_a_user_who_is_locked_removed_or_re_roled_fails_its_next_revalidation(string change)
    {
        var (id, principal) = await SignedInUserAsync("circuit@example.com", Roles.TokenManager);
        using var scope = app.Services.CreateScope();
        var provider = (IdentityRevalidatingAuthenticationStateProvider)scope.ServiceProvider.GetRequiredService<AuthenticationStateProvider>();
        Assert.True(await provider.IsStillValidAsync(principal));

        var administration = scope.ServiceProvider.GetRequiredService<UserAdministration>();
        var current = await scope.ServiceProvider.GetRequiredService<UserDirectory>().GetAsync(Actor.System, id, Ct);
        var changes = current.ToChanges();
        switch (change)
        {
            case "lock":
                changes.IsLocked = true;
                await administration.UpdateAsync(Actor.System, id, changes, Ct);
                break;
            case "roles":
                changes.Roles = [Roles.AccountManager];
                await administration.UpdateAsync(Actor.System, id, changes, Ct);
                break;
            default:
                await administration.DeleteAsync(Actor.System, id, Ct);
                break;
        }

        Assert.False(await provider.IsStillValidAsync(principal));
    }

    [Fact]
    public async Task A_name_change_keeps_the_session()
    {
        var (id, principal) = await SignedInUserAsync("stays@example.com", Roles.TokenManager);
        using var scope = app.Services.CreateScope();
        var provider = (IdentityRevalidatingAuthenticationStateProvider)scope.ServiceProvider.GetRequiredService<AuthenticationStateProvider>();
        var current = await scope.ServiceProvider.GetRequiredService<UserDirectory>().GetAsync(Actor.System, id, Ct);
        var changes = current.ToChanges();
        changes.Name = "Still Here";

        await scope.ServiceProvider.GetRequiredService<UserAdministration>().UpdateAsync(Actor.System, id, changes, Ct);

        Assert.True(await provider.IsStillValidAsync(principal));
    }

    /// <summary>A user and the principal a sign-in gives them (with the security stamp claim).</summary>
    private async Task<(string Id, System.Security.Claims.ClaimsPrincipal Principal)> SignedInUserAsync(string email, string role)
    {
        using var scope = app.Services.CreateScope();
        var created = await scope.ServiceProvider.GetRequiredService<UserAdministration>().CreateAsync(Actor.System,
            new NewUserInput { Email = email, Roles = [role], Password = "Us3r-password!" }, new Uri("http://localhost/"), Ct);
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var principal = await scope.ServiceProvider.GetRequiredService<IUserClaimsPrincipalFactory<ApplicationUser>>()
            .CreateAsync((await users.FindByIdAsync(created.User.Id))!);
        return (created.User.Id, principal);
    }

    public ValueTask DisposeAsync() => app.DisposeAsync();
}
