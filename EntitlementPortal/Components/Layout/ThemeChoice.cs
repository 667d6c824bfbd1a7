using EntitlementPortal.Components.Account;
using Microsoft.AspNetCore.Http.HttpResults;

namespace EntitlementPortal.Components.Layout;

/// <summary>
/// The light or dark theme a user chose, kept in a cookie so the server renders every page in it from the first
/// paint: the interactive pages and the static account pages alike (a choice kept only in the browser's storage
/// reaches a page after it has been painted, and never reaches a page without a circuit). Only
/// <c>GET /theme/{choice}</c> writes the cookie; the header's switch asks it to from script, the static pages link to it.
/// </summary>
public static class ThemeChoice
{
    public const string CookieName = "portal-theme";
    public const string Dark = "dark";
    public const string Light = "light";

    // A preference, not a secret: it lasts until the user changes it (a year, renewed by every switch).
    private static readonly TimeSpan Lifetime = TimeSpan.FromDays(365);

    /// <summary>"dark" or "light" as the request's cookie says, or null when the user has not chosen (light then).</summary>
    public static string? Stored(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.Cookies[CookieName] is Dark or Light ? request.Cookies[CookieName] : null;
    }

    /// <summary>The base-relative address that stores the other theme and comes back to <paramref name="returnUrl"/>.</summary>
    public static string SwitchAddress(bool toDark, string returnUrl) =>
        $"theme/{(toDark ? Dark : Light)}?returnUrl={Uri.EscapeDataString(returnUrl)}";

    public static IEndpointConventionBuilder MapThemeChoice(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        // Anonymous: the sign-in page offers the switch too, and a theme reveals nothing. A GET, because the static
        // pages reach it with a plain link; the worst a foreign page can do with it is change the colours, and the
        // return URL is followed only when it is a path of this site.
        return endpoints.MapGet("/theme/{choice}", Results<RedirectHttpResult, ProblemHttpResult> (
            string choice, string? returnUrl, HttpContext http) =>
        {
            if (choice is not (Dark or Light))
            {
                return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Unknown theme",
                    detail: $"The theme must be '{Dark}' or '{Light}'.");
            }
            http.Response.Cookies.Append(CookieName, choice, new CookieOptions
            {
                Path = "/",
                MaxAge = Lifetime,
                SameSite = SameSiteMode.Lax,
                Secure = http.Request.IsHttps,
                // Only the server reads and writes it, so no script needs to see it.
                HttpOnly = true,
                IsEssential = true,
            });
            return TypedResults.LocalRedirect("~/" + LocalReturnUrl.ToBaseRelative(returnUrl, LocalReturnUrl.SiteBase(http.Request)));
        }).AllowAnonymous();
    }
}
