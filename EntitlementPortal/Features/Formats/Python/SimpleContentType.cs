using Microsoft.Net.Http.Headers;

namespace EntitlementPortal.Features.Formats.Python;

/// <summary>
/// PEP 691 content negotiation: the client's Accept header (with its q-values) picks HTML (PEP 503) or JSON. pip
/// sends "application/vnd.pypi.simple.v1+json, application/vnd.pypi.simple.v1+html; q=0.1, text/html; q=0.01";
/// a client without Accept, or with "*/*", gets the PEP 503 text/html every client understands.
/// </summary>
public static class SimpleContentType
{
    public const string Json = "application/vnd.pypi.simple.v1+json";
    public const string Html = "application/vnd.pypi.simple.v1+html";
    public const string TextHtml = "text/html";

    // The server's preference among equally acceptable types: plain HTML first, for clients that ask for anything.
    private static readonly string[] Offered = [TextHtml, Html, Json];

    /// <summary>The type to answer with, or null when the Accept header rules out all three (406).</summary>
    public static string? Choose(string? accept)
    {
        if (string.IsNullOrWhiteSpace(accept) || !MediaTypeHeaderValue.TryParseList(accept.Split(','), out var ranges) || ranges.Count == 0)
        {
            return TextHtml;
        }
        string? best = null;
        var bestQuality = 0.0;
        foreach (var offered in Offered)
        {
            var quality = QualityOf(offered, ranges);
            if (quality > bestQuality)
            {
                (best, bestQuality) = (offered, quality);
            }
        }
        return best;
    }

    /// <summary>The q of the most specific range that matches (RFC 9110 §12.5.1), 0 when none does.</summary>
    private static double QualityOf(string offered, IList<MediaTypeHeaderValue> ranges)
    {
        var type = offered[..offered.IndexOf('/')];
        var latest = offered == Json ? "application/vnd.pypi.simple.latest+json" : offered == Html ? "application/vnd.pypi.simple.latest+html" : null;
        var (specificity, quality) = (-1, 0.0);
        foreach (var range in ranges)
        {
            var media = range.MediaType.Value ?? "";
            var rank = media.Equals(offered, StringComparison.OrdinalIgnoreCase) || (latest is not null && media.Equals(latest, StringComparison.OrdinalIgnoreCase)) ? 2
                : media.Equals(type + "/*", StringComparison.OrdinalIgnoreCase) ? 1
                : media == "*/*" ? 0
                : -1;
            if (rank > specificity)
            {
                (specificity, quality) = (rank, range.Quality ?? 1.0);
            }
        }
        return quality;
    }

    /// <summary>The Content-Type header for a chosen type.</summary>
    public static string Header(string chosen) => chosen == TextHtml ? "text/html; charset=utf-8" : chosen;
}
