using System.Globalization;

namespace EntitlementPortal.Features.Tokens;

/// <summary>How token values read on the pages: times in UTC, usage in the units bandwidth is billed in.</summary>
public static class TokenDisplay
{
    public static string Utc(DateTime? value) =>
        value is { } at ? at.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + " UTC" : "—";

    public static string Status(TokenView token) => token.IsDeleted ? "Deleted" : token.IsActive ? "Active" : "Disabled";

    /// <summary>
    /// Whether the token would serve a download now, and if not why: a token that is enabled but expired or at a
    /// limit must not read as a green "Active".
    /// A revoked customer's token is refused whatever its own switch says, and cannot be enabled until the customer
    /// is reinstated: it reads as that, not as a "Disabled" someone could switch back on.
    /// </summary>
    public static (string Label, Standing Standing) StandingOf(TokenView token, DateTime utcNow, bool customerRevoked = false) => token switch
    {
        { IsDeleted: true } => ("Deleted", Standing.Final),
        _ when customerRevoked => ("Customer revoked", Standing.Stopped),
        { IsActive: false } => ("Disabled", Standing.Stopped),
        { LimitDateFrom: { } from } when from > utcNow => ($"Not valid until {Utc(from)}", Standing.Stopped),
        { LimitDateTo: { } to } when to < utcNow => ($"Expired {Utc(to)}", Standing.Stopped),
        { LimitDownloads: { } limit } when token.Downloads >= limit =>
            ($"Limit reached: {token.Downloads:N0} of {Count(limit, "download")}", Standing.Stopped),
        { LimitBandwidthBytes: { } limit } when token.BandwidthBytes >= limit =>
            ($"Bandwidth limit reached: {ByteSize.Format(token.BandwidthBytes)} of {ByteSize.Format(limit)}", Standing.Stopped),
        // New client addresses are refused; the ones already counted still download.
        { LimitClients: { } limit } when token.Clients >= limit =>
            ($"Client limit reached: {token.Clients:N0} of {Count(limit, "client")}", Standing.Limited),
        _ => ("Active", Standing.Serving),
    };

    public enum Standing
    {
        Serving,
        Limited,
        Stopped,
        Final,
    }

    public static string Usage(TokenView token) =>
        $"{Count(token.Downloads, "download")} · {Count(token.Clients, "client")} · {ByteSize.Format(token.BandwidthBytes)}";

    public static string Count(long value, string noun) =>
        value.ToString("N0", CultureInfo.InvariantCulture) + " " + (value == 1 ? noun : noun + "s");

    /// <summary>What each schedule does, in the words a person choosing one needs.</summary>
    public static string ResetHint(ResetPeriod period) => period switch
    {
        ResetPeriod.Never => "Usage counters only go back to zero when someone resets them by hand.",
        _ => $"Downloads, clients and bandwidth go back to zero {Every(period)}, counted from when the schedule is saved; "
            + "the limits then apply per period.",
    };

    public static string Label(ResetPeriod period) => period switch
    {
        ResetPeriod.Never => "Never",
        ResetPeriod.Bimonthly => "Every two months",
        ResetPeriod.Semiannual => "Every six months",
        _ => period.ToString(),
    };

    private static string Every(ResetPeriod period) => period switch
    {
        ResetPeriod.Weekly => "every week",
        ResetPeriod.Fortnightly => "every two weeks",
        ResetPeriod.Monthly => "every month",
        ResetPeriod.Bimonthly => "every two months",
        ResetPeriod.Quarterly => "every three months",
        ResetPeriod.Semiannual => "every six months",
        ResetPeriod.Annual => "every year",
        _ => "every day",
    };
}
