using System.Globalization;

namespace EntitlementPortal.Features.Customers;

/// <summary>How customer values read on the pages: times in UTC, a subscription end as a plain date.</summary>
public static class CustomerDisplay
{
    /// <summary>The picker hands back a calendar day in no particular zone; the subscription ends on that day in UTC.</summary>
    public static DateTime? AsUtcDate(DateTime? picked) =>
        picked is { } day ? DateTime.SpecifyKind(day.Date, DateTimeKind.Utc) : null;

    /// <summary>The end date is the moment the subscription stops (midnight UTC of the chosen day), as the service filters it.</summary>
    public static bool HasEnded(DateTime? endsAt, DateTime utcNow) => endsAt is { } end && end <= utcNow;
}
