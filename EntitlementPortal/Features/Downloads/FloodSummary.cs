using System.Globalization;

namespace EntitlementPortal.Features.Downloads;

/// <summary>
/// Attempts answered with 429 (the failed-credential limit already turned the address away) are not stored one
/// by one: a flood would otherwise write a row per request. They are counted into one row per client address
/// and UTC minute, which keeps the first attempt's repository, route and user agent and adds up
/// <see cref="DownloadEvent.Attempts"/>. Served downloads and every other refusal are stored one by one.
/// </summary>
public static class FloodSummary
{
    public const int KeyMaxLength = 96;

    public static bool Applies(DownloadEvent record) => record.Status == StatusCodes.Status429TooManyRequests;

    /// <summary>The minute and the address: one summary row per pair, whichever instance answered.</summary>
    public static string KeyOf(DownloadEvent record) =>
        string.Create(CultureInfo.InvariantCulture, $"429|{record.At:yyyy-MM-ddTHH:mm}|{record.ClientIp}");
}
