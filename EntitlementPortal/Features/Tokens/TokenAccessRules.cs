using System.Net;
using EntitlementPortal.Features.Packages.Query;

namespace EntitlementPortal.Features.Tokens;

/// <summary>What the download endpoint knows about the token at the moment of a request.</summary>
public sealed record TokenFacts(
    bool IsActive,
    bool IsDeleted,
    bool CustomerRevoked,
    bool PresentedPreviousSecret,
    DateTime? PreviousSecretValidUntil,
    DateTime? LimitDateFrom,
    DateTime? LimitDateTo,
    long? LimitDownloads,
    int? LimitClients,
    long? LimitBandwidthBytes,
    PackageQuery? PackageQuery,
    IReadOnlyList<string> AllowedCidrs,
    long Downloads,
    int Clients,
    long BandwidthBytes);

/// <summary>What the download endpoint knows about the request.</summary>
public sealed record DownloadRequestFacts(
    IPAddress ClientIp,
    PackageFacts Package,
    bool IsHead,
    bool IsNotModified,
    bool IsRange,
    long BytesToSend,
    bool ClientAlreadyKnown,
    bool FileAlreadyCountedForClient);

/// <summary>Why a request was refused; the code is stored with the download event, the detail goes to the client.</summary>
public sealed record AccessRefusal(int Status, string Code, string Detail);

public sealed record AccessDecision(AccessRefusal? Refusal, bool CountsAsDownload, bool IsNewClient, long BytesCounted)
{
    public bool IsAllowed => Refusal is null;

    internal static AccessDecision Refuse(int status, string code, string detail) => new(new AccessRefusal(status, code, detail), false, false, 0);
}

/// <summary>
/// The download rules of http-contract.md as one pure function: which status a request gets and what it would
/// count. The endpoint still makes the counting exact in the database; this decides, it does not store.
/// </summary>
public static class TokenAccessRules
{
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
        if (token.LimitDateTo is { } to && now >= to)
        {
            return AccessDecision.Refuse(403, "expired", $"This token expired at {to:yyyy-MM-dd HH:mm} UTC.");
        }
        if (token.AllowedCidrs.Count > 0 && !CidrList.Contains(token.AllowedCidrs, request.ClientIp))
        {
            return AccessDecision.Refuse(403, "ip_not_allowed", $"Downloads with this token are not allowed from {request.ClientIp}.");
        }

        // 404: outside the token's packages looks exactly like a file that does not exist.
        if (token.PackageQuery is { } query && !query.Matches(request.Package))
        {
            return AccessDecision.Refuse(404, "not_in_query", "Not found.");
        }

        var counts = !request.IsHead && !request.IsNotModified && !(request.IsRange && request.FileAlreadyCountedForClient);
        var newClient = counts && !request.ClientAlreadyKnown;
        var bytes = request.IsHead || request.IsNotModified ? 0 : request.BytesToSend;

        if (counts && token.LimitDownloads is { } maxDownloads && token.Downloads >= maxDownloads)
        {
            return AccessDecision.Refuse(403, "download_limit", $"This token's download limit ({maxDownloads}) is reached.");
        }
        if (newClient && token.LimitClients is { } maxClients && token.Clients >= maxClients)
        {
            return AccessDecision.Refuse(403, "client_limit", $"This token's limit of {maxClients} client addresses is reached.");
        }
        if (bytes > 0 && token.LimitBandwidthBytes is { } maxBytes && token.BandwidthBytes + bytes > maxBytes)
        {
            return AccessDecision.Refuse(403, "bandwidth_limit",
                $"This download would exceed the token's bandwidth limit ({ByteSize.Format(maxBytes)}; {ByteSize.Format(Math.Max(0, maxBytes - token.BandwidthBytes))} left).");
        }
        return new AccessDecision(null, counts, newClient, bytes);
    }
}
