using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using EntitlementPortal.Components.Account;
using EntitlementPortal.Identity;

namespace Microsoft.AspNetCore.Routing;

internal static class IdentityComponentsEndpointRouteBuilderExtensions
{
    // Sign-out must be a POST (with the antiforgery token the form carries), never a link a page could embed.
    public static IEndpointConventionBuilder MapAdditionalIdentityEndpoints(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);

        var accountGroup = endpoints.MapGroup("/Account");

        accountGroup.MapPost("/Logout", async (
            [FromServices] SignInManager<ApplicationUser> signInManager,
            HttpContext http,
            [FromForm] string? returnUrl) =>
        {
            await signInManager.SignOutAsync();
            // "~/" + a foreign URL used to make LocalRedirect throw (500) for "//evil.example"; only a path of this site
            // is followed, anything else goes to the start page.
            return TypedResults.LocalRedirect("~/" + LocalReturnUrl.ToBaseRelative(returnUrl, LocalReturnUrl.SiteBase(http.Request)));
        }).AllowAnonymous();

        return accountGroup;
    }
}
