using System.Net;
using EntitlementPortal.Features.Packages.Query;

namespace EntitlementPortal.Features.Tokens;

/// <summary>
/// What the download endpoint knows about the token at the moment of a request. No counters and no count
/// limits: those may be stale here, so only the ledger judges them, with the values it read in its transaction.
/// </summary>
public sealed record TokenFacts(
    bool IsActive,
    bool IsDeleted,
    bool CustomerRevoked,
    bool PresentedPreviousSecret,
    DateTime? PreviousSecretValidUntil,
    DateTime? LimitDateFrom,
    DateTime? LimitDateTo,
    PackageQuery? PackageQuery,
    IReadOnlyList<string> AllowedCidrs,
    bool EulaPending = false,
    bool FallbackAfterExpiry = false);

/// <summary>What the download endpoint knows about the request.</summary>
public sealed record DownloadRequestFacts(
    IPAddress ClientIp,
    PackageFacts Package,
    bool IsHead,
    bool IsNotModified,
    bool IsRange,
    long BytesToSend,
    DateTime? VersionCreatedAt = null,
    bool IsListing = false);

/// <summary>Why a request was refused; the code is stored with the download event, the detail goes to the client.</summary>
public sealed record AccessRefusal(int Status, string Code, string Detail);

/// <summary>
/// What a served request would count, before anyone knows the token's clients and counted files: a download
/// (a request that sends the file: not a HEAD, a 304/412, a 416 or a missing file), whether it is a range, and
/// the bytes it sends. Whether it really counts a download and a new client is <see cref="TokenAccessRules.Admit"/>'s call.
/// </summary>
public sealed record UsageClaim(bool IsDownload, bool IsRange, long Bytes)
{
    public static readonly UsageClaim Nothing = new(false, false, 0);

    public bool ClaimsAnything => IsDownload || Bytes > 0;
}

public sealed record AccessDecision(AccessRefusal? Refusal, UsageClaim Claim)
{
    public bool IsAllowed => Refusal is null;

    internal static AccessDecision Refuse(int status, string code, string detail) => new(new AccessRefusal(status, code, detail), UsageClaim.Nothing);
}

/// <summary>A token's counters and count limits as the ledger read them, under the token's row lock: the true values.</summary>
public sealed record TokenCounters(long Downloads, int Clients, long BandwidthBytes, long? LimitDownloads, int? LimitClients, long? LimitBandwidthBytes)
{
    /// <summary>The counters once <paramref name="admitted"/> is counted (the next request in the batch is judged against these).</summary>
    public TokenCounters After(UsageAdmission admitted) => this with
    {
        Downloads = Downloads + (admitted.CountsAsDownload ? 1 : 0),
        Clients = Clients + (admitted.IsNewClient ? 1 : 0),
        BandwidthBytes = BandwidthBytes + admitted.BytesCounted,
    };
}

/// <summary>What the token's records already say about this request's client address and file.</summary>
public sealed record ClientUsage(bool ClientKnown, bool FileCounted);

/// <summary>The counting verdict: refused by a count limit, or what is counted (then the response may be sent).</summary>
public sealed record UsageAdmission(AccessRefusal? Refusal, bool CountsAsDownload, bool IsNewClient, long BytesCounted)
{
    public bool IsAllowed => Refusal is null;

    internal static UsageAdmission Refuse(string code, string detail) => new(new AccessRefusal(403, code, detail), false, false, 0);
}

/// <summary>
/// The download rules of http-contract.md as two pure functions, in contract order. <see cref="Evaluate"/> decides
/// the token's state, dates, networks and package query, and what the request would count; <see cref="Admit"/>
/// decides the download, client and bandwidth limits. The ledger calls <see cref="Admit"/> with the counters it
/// read inside its transaction, so a limit is judged once, against the true values, on any number of instances.
/// </summary>
public static class TokenAccessRules
{
    /// <summary>
    /// Whether the token's dates still let a version created at <paramref name="versionCreatedAt"/> download: always
    /// before expiry; after it, only with afterExpiry fallback and only versions created before <c>limitDateTo</c>.
    /// The index lists by the same rule the file route applies.
    /// </summary>
    public static bool ServesVersion(TokenFacts token, DateTime versionCreatedAt, DateTime now) =>
        token.LimitDateTo is not { } to || now < to || (token.FallbackAfterExpiry && versionCreatedAt < to);

    public static AccessDecision Evaluate(TokenFacts token, DownloadRequestFacts request, DateTime now)
    {
        // 401: the credential itself is no good.
        if (token.IsDeleted)
        {
            return AccessDecision.Refuse(401, "token_deleted", "This token was deleted.");
        }
        if (token.PresentedPreviousSecret && (token.PreviousSecretValidUntil is not { } until || now >= until))
        {
            return AccessDecision.Refuse(401, "token_refreshed", "This token was refreshed; use the new one.");
        }

        // 403: a known token, refused.
        if (token.CustomerRevoked)
        {
            return AccessDecision.Refuse(403, "customer_revoked", "The customer of this token is revoked.");
        }
        if (!token.IsActive)
        {
            return AccessDecision.Refuse(403, "token_disabled", "This token is disabled.");
        }
        if (token.LimitDateFrom is { } from && now < from)
        {
            return AccessDecision.Refuse(403, "not_yet_valid", $"This token is valid from {from:yyyy-MM-dd HH:mm} UTC.");
        }
        // A fallback token's index stays open after expiry: it lists what still downloads (ServesVersion).
        if (token.LimitDateTo is { } to && now >= to && !(request.IsListing && token.FallbackAfterExpiry)
            && !(request.VersionCreatedAt is { } created && ServesVersion(token, created, now)))
        {
            return AccessDecision.Refuse(403, "expired", token.FallbackAfterExpiry
                ? $"This token expired at {to:yyyy-MM-dd HH:mm} UTC; it still downloads the versions released before then."
                : $"This token expired at {to:yyyy-MM-dd HH:mm} UTC.");
        }
        if (token.AllowedCidrs.Count > 0 && !CidrList.Contains(token.AllowedCidrs, request.ClientIp))
        {
            return AccessDecision.Refuse(403, "ip_not_allowed", $"Downloads with this token are not allowed from {request.ClientIp}.");
        }
        // The index (and the download page on it, where the EULA is accepted) stays open; files wait.
        if (token.EulaPending && !request.IsListing)
        {
            return AccessDecision.Refuse(403, "eula_not_accepted",
                "The licence agreement has not been accepted for this token: open the token's download page (the repository's "
                + "index URL, /dl/<token>/<repo>/) in a browser to read and accept it.");
        }

        // 404: outside the token's packages looks exactly like a file that does not exist.
        if (token.PackageQuery is { } query && !query.Matches(request.Package))
        {
            return AccessDecision.Refuse(404, "not_in_query", "Not found.");
        }

        var sendsFile = !request.IsHead && !request.IsNotModified;
        return new AccessDecision(null, new UsageClaim(sendsFile, request.IsRange, sendsFile ? request.BytesToSend : 0));
    }

    /// <summary>
    /// The count limits (403 after every check of <see cref="Evaluate"/>). A download counts unless it is a range of
    /// a file already counted for this client (a resumption); a counted download from an unknown address is a new client.
    /// </summary>
    public static UsageAdmission Admit(TokenCounters token, UsageClaim claim, ClientUsage client)
    {
        var counts = claim.IsDownload && !(claim.IsRange && client.FileCounted);
        var newClient = counts && !client.ClientKnown;
        var bytes = claim.Bytes;

        if (counts && token.LimitDownloads is { } maxDownloads && token.Downloads >= maxDownloads)
        {
            return UsageAdmission.Refuse("download_limit", $"This token's download limit ({maxDownloads}) is reached.");
        }
        if (newClient && token.LimitClients is { } maxClients && token.Clients >= maxClients)
        {
            return UsageAdmission.Refuse("client_limit", $"This token's limit of {maxClients} client addresses is reached.");
        }
        if (bytes > 0 && token.LimitBandwidthBytes is { } maxBytes && token.BandwidthBytes + bytes > maxBytes)
        {
            return UsageAdmission.Refuse("bandwidth_limit",
                $"This download would exceed the token's bandwidth limit ({ByteSize.Format(maxBytes)}; {ByteSize.Format(Math.Max(0, maxBytes - token.BandwidthBytes))} left).");
        }
        return new UsageAdmission(null, counts, newClient, bytes);
    }
}
