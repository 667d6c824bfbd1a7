using System.Globalization;

namespace EntitlementPortal.Features.Customers;

/// <summary>How customer values read on the pages: times in UTC, a subscription end as a plain date.</summary>
public static class CustomerDisplay
{
    /// <summary>The picker hands back a calendar day in no particular zone; the subscription ends on that day in UTC.</summary>
    public static DateTime? AsUtcDate(DateTime? picked) =>
        picked is { } day ? DateTime.SpecifyKind(day.Date, DateTimeKind.Utc) : null;
}
