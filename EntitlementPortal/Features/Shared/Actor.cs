using System.Security.Claims;
using EntitlementPortal.Identity;

namespace EntitlementPortal.Features.Shared;

/// <summary>
/// Who is doing something, and from where. Every service call takes one, so authorization and the
/// audit trail never depend on which front end (page or API) made the call.
/// </summary>
public sealed record Actor(ClaimsPrincipal Principal, string? ClientIp)
{
    public string? UserId => Principal.FindFirstValue(ClaimTypes.NameIdentifier);

    public string Name => Principal.Identity?.Name ?? "anonymous";

    public bool IsAuthenticated => Principal.Identity?.IsAuthenticated == true;

    public bool IsAdministrator => Principal.IsInRole(Roles.Administrator);

    public bool IsInAnyRole(params string[] roles) => roles.Any(Principal.IsInRole);

    /// <summary>Used by start-up seeding: a system actor, recorded as such in the audit log.</summary>
    public static Actor System { get; } = new(
        new ClaimsPrincipal(new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, "system"), new Claim(ClaimTypes.Role, Roles.Administrator)], "System")),
        null);

    public static Actor From(HttpContext context) =>
        new(context.User, context.Connection.RemoteIpAddress?.ToString());
}
