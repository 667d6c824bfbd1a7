namespace EntitlementPortal.Cli.Client.Models;

public sealed record DownloadEventView(
    long Id, DateTime At, string Repo, string? Package, string? Version, string? Filename, int? TokenId, int? CustomerId,
    string? UserId, string AuthMethod, string? ClientIp, string? UserAgent, int Status, long Bytes, string? Reason);

/// <summary>The history filters of <c>/api/v1/downloads</c> and its CSV export, under their query-string names.</summary>
public sealed record DownloadFilter(
    string? Repo = null, int? CustomerId = null, int? TokenId = null, string? UserId = null, string? Package = null,
    string? Version = null, int? Status = null, string? Reason = null, string? ClientIp = null,
    DateTime? From = null, DateTime? To = null);
