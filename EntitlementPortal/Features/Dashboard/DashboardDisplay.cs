using System.Globalization;
using EntitlementPortal.Features.Tokens;

namespace EntitlementPortal.Features.Dashboard;

/// <summary>How the watch list reads: the reasons in words, and usage against the limits that matter.</summary>
public static class DashboardDisplay
{
    public static string Concerns(TokenToWatch token)
    {
        var parts = new List<string>();
        if (token.Concerns.HasFlag(TokenConcern.ExpiresSoon))
        {
            parts.Add($"ends {TokenDisplay.Utc(token.LimitDateTo)}");
        }
        if (token.Concerns.HasFlag(TokenConcern.NearDownloadLimit))
        {
            parts.Add(token.Downloads >= token.LimitDownloads ? "download limit reached" : "near its download limit");
        }
        if (token.Concerns.HasFlag(TokenConcern.NearBandwidthLimit))
        {
            parts.Add(token.BandwidthBytes >= token.LimitBandwidthBytes ? "bandwidth limit reached" : "near its bandwidth limit");
        }
        if (token.Concerns.HasFlag(TokenConcern.ClientsAtLimit))
        {
            parts.Add("clients at limit");
        }
        return string.Join("; ", parts);
    }

    public static string Usage(TokenToWatch token)
    {
        var parts = new List<string> { Of(Number(token.Downloads), token.LimitDownloads is { } d ? Number(d) : null) + " downloads" };
        if (token.LimitBandwidthBytes is { } b)
        {
            parts.Add(Of(ByteSize.Format(token.BandwidthBytes), ByteSize.Format(b)));
        }
        if (token.LimitClients is { } c)
        {
            parts.Add(Of(Number(token.Clients), Number(c)) + " clients");
        }
        return string.Join(" · ", parts);
    }

    private static string Of(string used, string? limit) => limit is null ? used : $"{used} of {limit}";

    private static string Number(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
