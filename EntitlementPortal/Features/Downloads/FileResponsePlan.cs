using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace EntitlementPortal.Features.Downloads;

public enum FileResponseKind
{
    /// <summary>200: the whole file.</summary>
    Whole,

    /// <summary>206: one byte range of it.</summary>
    Partial,

    /// <summary>304: the client's copy is current (If-None-Match / If-Modified-Since).</summary>
    NotModified,

    /// <summary>412: If-Match / If-Unmodified-Since failed.</summary>
    PreconditionFailed,

    /// <summary>416: the one range asked for lies outside the file.</summary>
    RangeNotSatisfiable,
}

/// <summary>The validators of a stored file, as the conditional headers compare them.</summary>
public readonly record struct FileValidators(string ETag, DateTime LastModifiedUtc, long Size)
{
    /// <summary>HTTP dates have whole seconds, so comparisons and the Last-Modified header use this.</summary>
    public DateTimeOffset LastModified => new(LastModifiedUtc.Ticks - (LastModifiedUtc.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
}

/// <summary>
/// The one decision of what a file request gets: status, which bytes, how many. The ledger counts exactly this
/// plan and <see cref="FileDownloadResult"/> sends exactly this plan, so what is counted and what is served can
/// never disagree, whatever combination of conditional and range headers a client sends.
/// </summary>
/// <remarks>
/// RFC 9110 §13.2.2 order: If-Match (else If-Unmodified-Since) → 412; If-None-Match (else If-Modified-Since,
/// GET/HEAD only) → 304; then Range, honoured on GET only, only while If-Range (if any) still names this exact
/// file, only in <c>bytes</c>, and only as a single range (several ranges get the whole file, which a server
/// may always do). Headers that do not parse: an unreadable If-Match fails the precondition; an unreadable
/// If-None-Match, date or Range is ignored; an unreadable If-Range sends the whole file. A future
/// If-Modified-Since is a valid date (304), as RFC 9110 reads it.
/// </remarks>
public sealed record FileResponsePlan(FileResponseKind Kind, long Offset, long Length)
{
    public int Status => Kind switch
    {
        FileResponseKind.Whole => StatusCodes.Status200OK,
        FileResponseKind.Partial => StatusCodes.Status206PartialContent,
        FileResponseKind.NotModified => StatusCodes.Status304NotModified,
        FileResponseKind.PreconditionFailed => StatusCodes.Status412PreconditionFailed,
        _ => StatusCodes.Status416RangeNotSatisfiable,
    };

    /// <summary>True when the response carries (a part of) the file; <see cref="Length"/> bytes of it on a GET.</summary>
    public bool HasContent => Kind is FileResponseKind.Whole or FileResponseKind.Partial;

    public static FileResponsePlan Decide(string method, IHeaderDictionary headers, FileValidators file)
    {
        var isGet = HttpMethods.IsGet(method);
        var isGetOrHead = isGet || HttpMethods.IsHead(method);
        var whole = new FileResponsePlan(FileResponseKind.Whole, 0, file.Size);

        if (headers.ContainsKey(HeaderNames.IfMatch))
        {
            if (!AnyTagMatches(headers[HeaderNames.IfMatch], file.ETag, strong: true))
            {
                return new FileResponsePlan(FileResponseKind.PreconditionFailed, 0, 0);
            }
        }
        else if (SingleDate(headers[HeaderNames.IfUnmodifiedSince]) is { } unmodifiedSince && file.LastModified > unmodifiedSince)
        {
            return new FileResponsePlan(FileResponseKind.PreconditionFailed, 0, 0);
        }

        if (headers.ContainsKey(HeaderNames.IfNoneMatch))
        {
            if (AnyTagMatches(headers[HeaderNames.IfNoneMatch], file.ETag, strong: false))
            {
                return isGetOrHead
                    ? new FileResponsePlan(FileResponseKind.NotModified, 0, 0)
                    : new FileResponsePlan(FileResponseKind.PreconditionFailed, 0, 0);
            }
        }
        else if (isGetOrHead && SingleDate(headers[HeaderNames.IfModifiedSince]) is { } modifiedSince && file.LastModified <= modifiedSince)
        {
            return new FileResponsePlan(FileResponseKind.NotModified, 0, 0);
        }

        if (!isGet || headers[HeaderNames.Range] is not { Count: 1 } rangeHeader)
        {
            return whole;
        }
        if (headers.ContainsKey(HeaderNames.IfRange) && !IfRangeStillHolds(headers[HeaderNames.IfRange], file))
        {
            return whole;
        }
        return RangeOf(rangeHeader.ToString(), file.Size) ?? whole;
    }

    /// <summary>Null when the Range header is to be ignored (unreadable, another unit, several ranges).</summary>
    private static FileResponsePlan? RangeOf(string header, long size)
    {
        if (!RangeHeaderValue.TryParse(header, out var range)
            || !string.Equals(range.Unit.Value, "bytes", StringComparison.OrdinalIgnoreCase)
            || range.Ranges.Count != 1)
        {
            return null;
        }
        var item = range.Ranges.First();
        long from;
        long to;
        if (item.From is { } start)
        {
            from = start;
            to = item.To is { } end && end < size ? end : size - 1;
        }
        else
        {
            var suffix = item.To ?? 0;
            from = Math.Max(0, size - suffix);
            to = suffix == 0 ? -1 : size - 1;
        }
        return from >= size || to < from
            ? new FileResponsePlan(FileResponseKind.RangeNotSatisfiable, 0, 0)
            : new FileResponsePlan(FileResponseKind.Partial, from, to - from + 1);
    }

    /// <summary>False for a list that does not parse: If-Match then fails, If-None-Match then does not apply.</summary>
    private static bool AnyTagMatches(StringValues values, string etag, bool strong)
    {
        if (!EntityTagHeaderValue.TryParseStrictList(values, out var tags) || tags.Count == 0)
        {
            return false;
        }
        var current = new EntityTagHeaderValue(etag);
        return tags.Any(tag => tag.Equals(EntityTagHeaderValue.Any) || tag.Compare(current, useStrongComparison: strong));
    }

    /// <summary>RFC 9110 §13.1.5: an entity-tag must match strongly, a date exactly; anything else is stale.</summary>
    private static bool IfRangeStillHolds(StringValues values, FileValidators file)
    {
        if (values.Count != 1 || values[0] is not { } text)
        {
            return false;
        }
        text = text.Trim();
        if (text.StartsWith('"') || text.StartsWith("W/", StringComparison.Ordinal))
        {
            return EntityTagHeaderValue.TryParse(text, out var tag)
                && tag.Compare(new EntityTagHeaderValue(file.ETag), useStrongComparison: true);
        }
        return HeaderUtilities.TryParseDate(text, out var date) && date == file.LastModified;
    }

    /// <summary>A date header with exactly one valid HTTP-date; anything else is ignored, as RFC 9110 says.</summary>
    private static DateTimeOffset? SingleDate(StringValues values) =>
        values.Count == 1 && HeaderUtilities.TryParseDate(values[0], out var date) ? date : null;
}
