namespace EntitlementPortal.Features.Tokens;

/// <summary>When a token's usage counters next go back to zero.</summary>
public static class ResetSchedule
{
    public static DateTime? Next(ResetPeriod period, DateTime from) => period switch
    {
        ResetPeriod.Never => null,
        ResetPeriod.Daily => from.AddDays(1),
        ResetPeriod.Weekly => from.AddDays(7),
        ResetPeriod.Fortnightly => from.AddDays(14),
        ResetPeriod.Monthly => from.AddMonths(1),
        ResetPeriod.Bimonthly => from.AddMonths(2),
        ResetPeriod.Quarterly => from.AddMonths(3),
        ResetPeriod.Semiannual => from.AddMonths(6),
        ResetPeriod.Annual => from.AddYears(1),
        _ => throw new ArgumentOutOfRangeException(nameof(period), period, null),
    };

    /// <summary>The first scheduled time after <paramref name="now"/>, stepping from a due time (no drift, no catch-up storm).</summary>
    public static DateTime? NextAfter(ResetPeriod period, DateTime due, DateTime now)
    {
        var next = Next(period, due);
        while (next is { } candidate && candidate <= now)
        {
            next = Next(period, candidate);
        }
        return next;
    }
}
