using System.Globalization;

namespace EntitlementPortal.Features.Customers;

/// <summary>How customer values read on the pages: times in UTC, a subscription end as a plain date.</summary>
public static class CustomerDisplay
{
    public static string Utc(DateTime? value) =>
        value is { } at ? at.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + " UTC" : "—";

    public static string Date(DateTime? value) =>
        value is { } day ? day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : "—";

    public static string Text(string? value) => string.IsNullOrWhiteSpace(value) ? "—" : value;

    /// <summary>The picker hands back a calendar day in no particular zone; the subscription ends on that day in UTC.</summary>
    public static DateTime? AsUtcDate(DateTime? picked) =>
        picked is { } day ? DateTime.SpecifyKind(day.Date, DateTimeKind.Utc) : null;
}
