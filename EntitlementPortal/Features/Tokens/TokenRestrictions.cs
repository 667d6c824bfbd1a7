using System.Globalization;

namespace EntitlementPortal.Features.Tokens;

/// <summary>A token's restrictions in one readable line, for lists, detail pages and the audit log.</summary>
public static class TokenRestrictions
{
    /// <summary>The line for a token without any restriction.</summary>
    public const string None = "No restrictions";

    public static string Describe(
        DateTime? from, DateTime? to, long? downloads, int? clients, long? bandwidth, string? query,
        IReadOnlyList<string> networks, ResetPeriod reset)
    {
        var parts = new List<string>();
        if (from is not null || to is not null)
        {
            parts.Add((from, to) switch
            {
                ({ } f, { } t) => $"valid {Day(f)} to {Day(t)}",
                ({ } f, null) => $"valid from {Day(f)}",
                (null, { } t) => $"valid until {Day(t)}",
                _ => "",
            });
        }
        if (downloads is { } d)
        {
            parts.Add($"at most {d.ToString("N0", CultureInfo.InvariantCulture)} downloads");
        }
        if (clients is { } c)
        {
            parts.Add(c == 1 ? "1 client address" : $"at most {c.ToString("N0", CultureInfo.InvariantCulture)} client addresses");
        }
        if (bandwidth is { } b)
        {
            parts.Add($"at most {ByteSize.Format(b)}");
        }
        if (!string.IsNullOrWhiteSpace(query))
        {
            parts.Add($"packages matching {query}");
        }
        if (networks.Count > 0)
        {
            parts.Add($"from {string.Join(", ", networks)}");
        }
        if (reset != ResetPeriod.Never && parts.Count > 0)
        {
            parts.Add($"usage resets {reset.ToString().ToLowerInvariant()}");
        }
        return parts.Count == 0 ? None : string.Join("; ", parts);
    }

    public static string Describe(TokenView token) => Describe(
        token.LimitDateFrom, token.LimitDateTo, token.LimitDownloads, token.LimitClients, token.LimitBandwidthBytes,
        token.LimitPackageQuery, token.AllowedCidrs, token.ResetPeriod);

    private static string Day(DateTime value) => value.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + " UTC";
}
