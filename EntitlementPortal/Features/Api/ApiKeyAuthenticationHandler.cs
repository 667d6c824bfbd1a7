using System.Security.Claims;
using System.Text.Encodings.Web;
using EntitlementPortal.Data;
using EntitlementPortal.Features.ApiKeys;
using EntitlementPortal.Identity;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace EntitlementPortal.Features.Api;

/// <summary>
/// Authenticates management API calls by personal API key: <c>X-Api-Key</c> or <c>Authorization: Bearer</c>, and
/// as the native publishing clients send it: <c>X-NuGet-ApiKey</c> (dotnet nuget push) and HTTP Basic with the key
/// as password (twine's <c>-u __token__ -p KEY</c>).
/// Only API keys are looked up here, so an entitlement token presented as a key is simply unknown: 401.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IDbContextFactory<AppDbContext> dbFactory,
    IUserClaimsPrincipalFactory<ApplicationUser> principals,
    IProblemDetailsService problems,
    TimeProvider clock)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string HeaderName = "X-Api-Key";

    // Writing "last used" on every call would turn each read into a write; once a minute is plenty.
    private static readonly TimeSpan LastUsedResolution = TimeSpan.FromMinutes(1);

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var presented = PresentedKey();
        if (presented is null)
        {
            return AuthenticateResult.NoResult();
        }
        if (!ApiKeySecret.IsPlausible(presented))
        {
            return AuthenticateResult.Fail("Malformed API key.");
        }

        var hash = ApiKeySecret.Hash(presented);
        await using var db = await dbFactory.CreateDbContextAsync(Context.RequestAborted);
        var key = await db.Set<ApiKey>().Include(k => k.User)
            .FirstOrDefaultAsync(k => k.SecretHash == hash && k.RevokedAt == null, Context.RequestAborted);
        var user = key?.User;
        if (key is null || user is null)
        {
            return AuthenticateResult.Fail("Unknown or revoked API key.");
        }
        var now = clock.GetUtcNow();
        if (user.LockoutEnd is { } lockedUntil && lockedUntil > now)
        {
            return AuthenticateResult.Fail("The key's owner is locked out.");
        }

        if (key.LastUsedAt is null || now.UtcDateTime - key.LastUsedAt > LastUsedResolution)
        {
            await db.Set<ApiKey>().Where(k => k.Id == key.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(k => k.LastUsedAt, now.UtcDateTime), Context.RequestAborted);
        }

        var principal = await principals.CreateAsync(user);
        var identity = new ClaimsIdentity(principal.Claims, SchemeName, ClaimTypes.Name, ClaimTypes.Role);
        identity.AddClaim(new Claim("api_key_id", key.Id.ToString()));
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    public const string NuGetHeaderName = "X-NuGet-ApiKey";

    private string? PresentedKey()
    {
        foreach (var name in (ReadOnlySpan<string>)[HeaderName, NuGetHeaderName])
        {
            var header = Request.Headers[name].ToString();
            if (!string.IsNullOrEmpty(header))
            {
                return header.Trim();
            }
        }
        var authorization = Request.Headers.Authorization.ToString();
        const string bearer = "Bearer ";
        if (authorization.StartsWith(bearer, StringComparison.OrdinalIgnoreCase))
        {
            return authorization[bearer.Length..].Trim();
        }
        // twine sends the key as the Basic password (user "__token__"); the user name says nothing about who calls.
        var basic = Downloads.DownloadCredentials.FromBasicHeader(authorization);
        return (basic?.Password ?? basic?.Token) is { Length: > 0 } password ? password : null;
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties) =>
        WriteProblemAsync(StatusCodes.Status401Unauthorized, "Unauthorized",
            $"Send a valid API key in the {HeaderName} header (or Authorization: Bearer). Entitlement tokens are not API keys.");

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        WriteProblemAsync(StatusCodes.Status403Forbidden, "Forbidden", "Your account is not allowed to do this.");

    private async Task WriteProblemAsync(int status, string title, string detail)
    {
        Response.StatusCode = status;
        if (status == StatusCodes.Status401Unauthorized)
        {
            Response.Headers.WWWAuthenticate = "Bearer";
        }
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails = { Status = status, Title = title, Detail = detail },
        });
    }
}
