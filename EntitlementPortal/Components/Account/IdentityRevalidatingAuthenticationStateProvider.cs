using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using EntitlementPortal.Identity;

namespace EntitlementPortal.Components.Account;

/// <summary>
/// Re-checks the security stamp of a connected circuit's user as often as cookies are re-checked
/// (<see cref="SecurityStampValidatorOptions.ValidationInterval"/>, one minute): locking, removing or
/// changing the roles of a user changes the stamp, and their open pages lose their sign-in within a minute.
/// </summary>
internal sealed class IdentityRevalidatingAuthenticationStateProvider(
        ILoggerFactory loggerFactory,
        IServiceScopeFactory scopeFactory,
        IOptions<IdentityOptions> options,
        IOptions<SecurityStampValidatorOptions> stampOptions)
    : RevalidatingServerAuthenticationStateProvider(loggerFactory)
{
    protected override TimeSpan RevalidationInterval => stampOptions.Value.ValidationInterval;

    protected override Task<bool> ValidateAuthenticationStateAsync(
        AuthenticationState authenticationState, CancellationToken cancellationToken) =>
        IsStillValidAsync(authenticationState.User);

    /// <summary>
    /// What each revalidation decides: the user still exists and has the same stamp. Lockout itself is not
    /// checked: five wrong passwords typed by someone else must not end the real person's session; an
    /// administrator's lock changes the stamp.
    /// </summary>
    internal async Task<bool> IsStillValidAsync(ClaimsPrincipal principal)
    {
        // A new scope each time: the circuit's own scope would keep a stale, long-lived context.
        await using var scope = scopeFactory.CreateAsyncScope();
        var userManager = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var user = await userManager.GetUserAsync(principal);
        if (user is null)
        {
            return false;
        }
        if (!userManager.SupportsUserSecurityStamp)
        {
            return true;
        }
        var principalStamp = principal.FindFirstValue(options.Value.ClaimsIdentity.SecurityStampClaimType);
        return principalStamp == await userManager.GetSecurityStampAsync(user);
    }
}
