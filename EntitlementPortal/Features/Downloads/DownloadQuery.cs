namespace EntitlementPortal.Features.Downloads;

/// <summary>Served (any status below 400: 200, 206, 304) or refused (4xx, 5xx), as the page offers it.</summary>
public enum HistoryOutcome
{
    Served,
    Refused,
}

/// <summary>
/// The filters of the download history, all optional and combined with AND. <see cref="From"/> and <see cref="To"/>
/// are UTC and inclusive.
/// </summary>
public sealed record DownloadQuery(
    string? Repo = null, int? CustomerId = null, int? TokenId = null, int? Status = null, DateTime? From = null, DateTime? To = null,
    string? UserId = null, string? Package = null, string? Version = null, string? Reason = null, string? ClientIp = null,
    HistoryOutcome? Outcome = null);

/// <summary>One row of the history, with the token's and customer's current names when they still exist.</summary>
public sealed record DownloadEventView(
    long Id, DateTime At, string Repo, string? Package, string? Version, string? Filename, int? TokenId, int? CustomerId,
    string? UserId, AuthMethod AuthMethod, string? ClientIp, string? UserAgent, int Status, long Bytes, string? Reason, int Attempts,
    string? TokenName = null, string? CustomerName = null, bool Counted = false)
{
    public bool Served => Status < 400;
}
