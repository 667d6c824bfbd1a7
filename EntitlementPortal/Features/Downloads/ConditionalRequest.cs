using Microsoft.AspNetCore.Http.Headers;
using Microsoft.Net.Http.Headers;

namespace EntitlementPortal.Features.Downloads;

/// <summary>What the response to a file request will be, known before sending it (HTTP conditional and range rules).</summary>
public sealed record ResponseShape(bool NoBody, bool IsRange, long RangeBytes, bool Unsatisfiable);

/// <summary>
/// Predicts, the way ASP.NET Core's file results decide it (RFC 9110/9111), whether a file request gets 412, 304,
/// 206 or 200 and how many bytes it sends, so the ledger counts exactly what is served.
/// </summary>
public static class ConditionalRequest
{
    public static ResponseShape Evaluate(RequestHeaders headers, string etag, DateTime lastModifiedUtc, long size)
    {
        var lastModified = new DateTimeOffset(TruncateToSeconds(lastModifiedUtc), TimeSpan.Zero);
        var tag = new EntityTagHeaderValue(etag);

        // 412: If-Match, else If-Unmodified-Since.
        if (headers.IfMatch is { Count: > 0 } ifMatch)
        {
            if (!ifMatch.Any(candidate => candidate.Equals(EntityTagHeaderValue.Any) || candidate.Compare(tag, useStrongComparison: true)))
            {
                return new ResponseShape(NoBody: true, false, 0, false);
            }
        }
        else if (headers.IfUnmodifiedSince is { } unmodifiedSince && lastModified > unmodifiedSince)
        {
            return new ResponseShape(NoBody: true, false, 0, false);
        }

        // 304: If-None-Match, else If-Modified-Since.
        if (headers.IfNoneMatch is { Count: > 0 } ifNoneMatch)
        {
            if (ifNoneMatch.Any(candidate => candidate.Equals(EntityTagHeaderValue.Any) || candidate.Compare(tag, useStrongComparison: false)))
            {
                return new ResponseShape(NoBody: true, false, 0, false);
            }
        }
        else if (headers.IfModifiedSince is { } modifiedSince && lastModified <= modifiedSince)
        {
            return new ResponseShape(NoBody: true, false, 0, false);
        }

        // A Range is honoured only while If-Range (if any) still describes this file; otherwise the whole file goes.
        if (headers.IfRange is { } ifRange
            && (ifRange.EntityTag is { } rangeTag ? !rangeTag.Compare(tag, useStrongComparison: true)
                : ifRange.LastModified is { } rangeDate && lastModified > rangeDate))
        {
            return new ResponseShape(false, false, 0, false);
        }
        return RangeOf(headers, size);
    }

    /// <summary>A single byte range and its length; several ranges are served whole (as the framework does).</summary>
    private static ResponseShape RangeOf(RequestHeaders headers, long size)
    {
        var range = headers.Range;
        if (range is null || range.Ranges.Count != 1 || !string.Equals(range.Unit.ToString(), "bytes", StringComparison.OrdinalIgnoreCase))
        {
            return new ResponseShape(false, false, 0, false);
        }
        var item = range.Ranges.Single();
        long from, to;
        if (item.From is { } start)
        {
            from = start;
            to = Math.Min(item.To ?? size - 1, size - 1);
        }
        else if (item.To is { } suffix && suffix > 0)
        {
            from = Math.Max(0, size - suffix);
            to = size - 1;
        }
        else
        {
            return new ResponseShape(false, true, 0, true);
        }
        return from >= size || from > to ? new ResponseShape(false, true, 0, true) : new ResponseShape(false, true, to - from + 1, false);
    }

    private static DateTime TruncateToSeconds(DateTime value) => new(value.Ticks - (value.Ticks % TimeSpan.TicksPerSecond), DateTimeKind.Utc);
}
