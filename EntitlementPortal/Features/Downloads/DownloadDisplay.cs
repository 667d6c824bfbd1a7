using System.Globalization;
using EntitlementPortal.Features.Tokens;

namespace EntitlementPortal.Features.Downloads;

/// <summary>How download events read on the pages.</summary>
public static class DownloadDisplay
{
    /// <summary>Every refusal reason the download routes record, for the reason filter.</summary>
    public static IReadOnlyList<string> Reasons { get; } =
    [
        "account_paused", "bad_password", "bandwidth_limit", "client_limit", "customer_revoked", "download_limit", "expired", "file_unavailable",
        "ip_not_allowed", "no_access", "no_credentials", "not_found", "not_in_query", "not_yet_valid", "rate_limited",
        "token_deleted", "token_disabled", "token_refreshed", "unknown_token", "user_lost_access",
    ];

    public static string Bytes(long bytes) => bytes == 0 ? "—" : ByteSize.Format(bytes);

    public static string Outcome(DownloadEventView e) =>
        e.Served ? e.Status.ToString(CultureInfo.InvariantCulture) : $"{e.Status} {e.Reason}".TrimEnd();

    public static string Token(DownloadEventView e) =>
        e.TokenId is { } id ? e.TokenName is { } name ? $"{name} (#{id})" : $"#{id}" : "—";

    public static string Customer(DownloadEventView e) =>
        e.CustomerId is { } id ? e.CustomerName is { } name ? name : $"#{id}" : "—";

    public static string Package(DownloadEventView e) => e.Package is null ? "—" : $"{e.Package} {e.Version}".TrimEnd();
}
