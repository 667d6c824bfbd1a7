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
