using System.Net;
using EntitlementPortal.Features.Downloads.ReadModel;
using EntitlementPortal.Features.Permissions;
using EntitlementPortal.Features.Packages.Query;
using EntitlementPortal.Features.Repositories;
using EntitlementPortal.Features.Repositories.Privileges;
using EntitlementPortal.Features.Tokens;
using EntitlementPortal.Identity;
using Microsoft.AspNetCore.Identity;

namespace EntitlementPortal.Features.Downloads;

/// <summary>Who a download request turned out to be, once its credentials were checked.</summary>
internal sealed record Accessor(DownloadToken? Token, bool PresentedPreviousSecret, string? UserId, bool PublicAccess)
{
    public PackageQuery? Query => Token?.Query;
}

/// <summary>
/// The credential half of a download: repository, token or account, rate limiting of failures. Shared by file
/// downloads and the index, so both refuse exactly the same requests. Repositories and tokens come from the
/// read model of the version the request read; a user's access never does.
/// </summary>
internal sealed class DownloadAccess(
    TokenSecretProtector secrets,
    FailedCredentialLimiter limiter,
    BasicAccountPause accountPause,
    UserManager<ApplicationUser> users,
    DownloadPasswordCheck passwords,
    PermissionCheck permissions,
    TimeProvider clock)
{
    public async Task<(DownloadRepository? Repository, Accessor? Accessor, DownloadRefusal? Refusal)> ResolveAsync(
        DownloadModelView model, string repoSlug, DownloadCredentials? credentials, bool publicRoute, IPAddress client,
        CancellationToken cancellationToken)
    {
        var repository = await model.RepositoryAsync(repoSlug, cancellationToken);

        if (publicRoute)
        {
            return repository is { Visibility: RepositoryVisibility.Public }
                ? (repository, new Accessor(null, false, null, PublicAccess: true), null)
                : (null, null, new DownloadRefusal(404, "not_found", "Not found."));
        }

        var address = client.ToString();
        if (limiter.RetryAfter(address) is { } wait)
        {
            return (null, null, new DownloadRefusal(429, "rate_limited",
                $"Too many failed attempts from {address}; try again in {Seconds(wait)} seconds.", wait));
        }
        if (credentials is null)
        {
            return (null, null, new DownloadRefusal(401, "no_credentials",
                "Send the token with HTTP Basic authentication: user 'token', password the token.", Challenge: true));
        }
        if (repository is null)
        {
            // Unknown repository and unknown credentials look the same: a stranger learns nothing from either.
            return Failed(address, credentials, "unknown_token");
        }
        if (repository.Visibility == RepositoryVisibility.Public)
        {
            return (repository, new Accessor(null, false, null, PublicAccess: true), null);
        }

        return credentials.Method == AuthMethod.UserBasic
            ? await ResolveUserAsync(repository, credentials, address, cancellationToken)
            : await ResolveTokenAsync(model, repository, credentials, address, cancellationToken);
    }

    private async Task<(DownloadRepository?, Accessor?, DownloadRefusal?)> ResolveTokenAsync(
        DownloadModelView model, DownloadRepository repository, DownloadCredentials credentials, string address, CancellationToken cancellationToken)
    {
        var secret = credentials.Token;
        if (!TokenSecret.IsPlausible(secret))
        {
            return Failed(address, credentials, "unknown_token");
        }
        var digest = secrets.Digest(secret!);
        var token = await model.TokenAsync(repository.Id, digest, cancellationToken);
        if (token is null)
        {
            return Failed(address, credentials, "unknown_token");
        }
        if (token.Kind == TokenKind.User)
        {
            // Decided afresh from the database on every request, never from the read model: grants, teams and
            // lockouts do not move its version, and this query is what makes a user's loss of access refuse the
            // very next request on every instance.
            if (!await MayReadAsync(token.UserId, repository, cancellationToken))
            {
                return Failed(address, credentials, "user_lost_access");
            }
            if (!repository.UserTokensEnabled)
            {
                // A genuine token refused by the repository's setting, like a disabled one: 403 and no failed
                // attempt against the client's address (its other, valid credentials keep working).
                return (null, null, new DownloadRefusal(403, "user_tokens_off", "User tokens are turned off for this repository."));
            }
        }
        var previous = !TokenSecret.FixedTimeEquals(token.SecretDigest, digest);
        return (repository, new Accessor(token, previous, token.UserId, PublicAccess: false), null);
    }

    private async Task<(DownloadRepository?, Accessor?, DownloadRefusal?)> ResolveUserAsync(
        DownloadRepository repository, DownloadCredentials credentials, string address, CancellationToken cancellationToken)
    {
        var name = credentials.UserName!;
        var pauseKey = users.NormalizeName(name) ?? name;
        if (accountPause.RetryAfter(pauseKey) is { } wait)
        {
            return (null, null, new DownloadRefusal(429, "account_paused",
                $"Too many wrong passwords for this user name; try again in {Seconds(wait)} seconds.", wait));
        }
        // The account is looked up in the database on every request (never cached), so a removed, locked or
        // re-passworded account is refused from the next request. Both look-ups and one password verification on
        // every path, so unknown names answer as slowly as wrong passwords; and no sign-in bookkeeping, so
        // downloads never lock the portal account (DownloadPasswordCheck).
        var byName = await users.FindByNameAsync(name);
        var byEmail = await users.FindByEmailAsync(name);
        var user = byName ?? byEmail;
        var passwordIsRight = passwords.IsRight(user, credentials.Password ?? "");
        if (user is null || !passwordIsRight || IsLockedOut(user))
        {
            accountPause.RecordFailure(pauseKey);
            return Failed(address, credentials, "bad_password");
        }
        if (!await MayReadAsync(user.Id, repository, cancellationToken))
        {
            return (null, null, new DownloadRefusal(403, "no_access", "This account may not read this repository."));
        }
        return (repository, new Accessor(null, false, user.Id, PublicAccess: false), null);
    }

    /// <summary>
    /// At least Read on this repository, directly or through a team, on an account that still exists and is not
    /// locked: the one answer of <see cref="RepositoryAccess"/>, read from the database on every request.
    /// </summary>
    private async Task<bool> MayReadAsync(string? userId, DownloadRepository repository, CancellationToken cancellationToken) =>
        userId is not null && await permissions.PrivilegeAllowsAsync(userId, repository.Id, Permission.UseOwnUserToken, cancellationToken);

    /// <summary>Locked by an administrator or by portal sign-in lockout: the same test the API key handler makes.</summary>
    private bool IsLockedOut(ApplicationUser user) => user.LockoutEnd is { } until && until > clock.GetUtcNow();

    private static string Seconds(TimeSpan wait) =>
        Math.Max(1, Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private (DownloadRepository?, Accessor?, DownloadRefusal?) Failed(string address, DownloadCredentials credentials, string reason)
    {
        limiter.RecordFailure(address);
        var detail = reason switch
        {
            "user_lost_access" => "The owner of this user token no longer has access to the repository.",
            "bad_password" => "Wrong user name or password.",
            _ => "Unknown, deleted or replaced token.",
        };
        return (null, null, new DownloadRefusal(401, reason, detail, Challenge: credentials.Method != AuthMethod.TokenInPath));
    }
}
