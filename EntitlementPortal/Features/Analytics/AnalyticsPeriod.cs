using EntitlementPortal.Features.Downloads;
using FluentValidation;
using FluentValidation.Results;

namespace EntitlementPortal.Features.Analytics;

/// <summary>The <c>[from, to]</c> of a metrics or usage request, UTC and inclusive; either end may be open.</summary>
public sealed record AnalyticsPeriod(DateTime? From = null, DateTime? To = null)
{
    /// <summary>From query-string text: ISO-8601, and <c>to</c> not before <c>from</c>; otherwise a 400 keyed by field.</summary>
    public static AnalyticsPeriod Parse(string? from, string? to)
    {
        var failures = new List<ValidationFailure>();
        var period = new AnalyticsPeriod(DownloadFilterParameters.Time(from, "from", failures), DownloadFilterParameters.Time(to, "to", failures));
        period.Validate(failures);
        if (failures.Count > 0)
        {
            throw new ValidationException(failures);
        }
        return period;
    }

    public void Validate(List<ValidationFailure> failures)
    {
        if (From > To)
        {
            failures.Add(new ValidationFailure("to", "to must not be before from."));
        }
    }

    /// <summary>
    /// The whole UTC days of the period, answered by the daily rollup (so they stay whole after retention deleted
    /// their events), and the part days at either end, which only the events can answer. The portal's own periods
    /// start at midnight and are open-ended, so they have no part days.
    /// </summary>
    public PeriodDays Days()
    {
        var first = From is { } from ? (from == from.Date ? from : from.Date.AddDays(1)) : (DateTime?)null;
        // The last day that ends within the period: To is inclusive, so a day is whole when its last tick is <= To.
        var last = To is { } to ? (to == DateTime.MaxValue ? to.Date : to.AddTicks(1).Date.AddDays(-1)) : (DateTime?)null;
        if (first > last)
        {
            return new PeriodDays(false, null, null, [this]);
        }
        var parts = new List<AnalyticsPeriod>();
        if (From is { } start && first > start)
        {
            parts.Add(new AnalyticsPeriod(start, first.Value.AddTicks(-1)));
        }
        if (To is { } end && last is { } lastDay && lastDay.AddDays(1) <= end)
        {
            parts.Add(new AnalyticsPeriod(lastDay.AddDays(1), end));
        }
        return new PeriodDays(true, first, last, parts);
    }

    public IQueryable<DownloadEvent> Apply(IQueryable<DownloadEvent> events)
    {
        if (From is { } from)
        {
            events = events.Where(e => e.At >= from);
        }
        if (To is { } to)
        {
            events = events.Where(e => e.At <= to);
        }
        return events;
    }
}

/// <summary>See <see cref="AnalyticsPeriod.Days"/>: <see cref="Any"/> whole days from <see cref="First"/> to <see cref="Last"/> (open when null).</summary>
public sealed record PeriodDays(bool Any, DateTime? First, DateTime? Last, IReadOnlyList<AnalyticsPeriod> Parts)
{
    public IQueryable<T> Apply<T>(IQueryable<T> rollup) where T : class, IDailyRollup
    {
        if (!Any)
        {
            return rollup.Where(_ => false);
        }
        if (First is { } first)
        {
            rollup = rollup.Where(u => u.Day >= first);
        }
        if (Last is { } last)
        {
            rollup = rollup.Where(u => u.Day <= last);
        }
        return rollup;
    }

    /// <summary>The events of the part days; none when the period is whole days.</summary>
    public IQueryable<DownloadEvent> ApplyToParts(IQueryable<DownloadEvent> events)
    {
        if (Parts is [{ From: { } headFrom, To: { } headTo }, { From: { } tailFrom, To: { } tailTo }])
        {
            return events.Where(e => (e.At >= headFrom && e.At <= headTo) || (e.At >= tailFrom && e.At <= tailTo));
        }
        return Parts is [var one] ? one.Apply(events) : events.Where(_ => false);
    }
}
