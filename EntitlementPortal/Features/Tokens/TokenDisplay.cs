using System.Globalization;

namespace EntitlementPortal.Features.Tokens;

/// <summary>How token values read on the pages: times in UTC, usage in the units bandwidth is billed in.</summary>
public static class TokenDisplay
{
    public static string Utc(DateTime? value) =>
        value is { } at ? at.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + " UTC" : "—";

    public static string Status(TokenView token) => token.IsDeleted ? "Deleted" : token.IsActive ? "Active" : "Disabled";

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
