namespace EntitlementPortal.Components.Account;

/// <summary>
/// Where sign-in, registration and sign-out may send the browser next. The return URL comes from the query string
/// or a form field, so anyone can put one in a link: only a path on this site is followed, anything else goes to the
/// start page (an open redirect would make a phishing page look like it came from the portal).
/// </summary>
public static class LocalReturnUrl
{
    // Percent-encoding may hide a second layer ("%252F%252F"); more layers than this are refused outright.
    private const int MaxDecodingRounds = 3;

    /// <summary>
    /// <paramref name="returnUrl"/> as a path relative to <paramref name="baseUri"/> (the site's base, ending in
    /// "/"): "customers?page=2", or "" (the start page) when it does not stay on this site.
    /// </summary>
    /// <remarks>
    /// Refused: another origin ("https://evil.example/"), protocol-relative forms ("//evil.example", and
    /// "/\evil.example", because browsers read a backslash as a slash), any scheme ("javascript:", "data:"),
    /// whitespace and control characters (browsers strip or skip some of them, so "/ /evil" can become "//evil"),
    /// a rooted path outside the base, and each of these percent-encoded. An absolute URL of this very site, which
    /// the sign-in redirect sends, is kept as its base-relative part.
    /// </remarks>
    public static string ToBaseRelative(string? returnUrl, Uri baseUri)
    {
        ArgumentNullException.ThrowIfNull(baseUri);
        if (string.IsNullOrEmpty(returnUrl) || !IsPlainText(returnUrl))
        {
            return "";
        }
        var relative = StripBase(returnUrl, baseUri);
        if (relative is null || !StaysOnSite(relative) || !Uri.IsWellFormedUriString(relative, UriKind.Relative))
        {
            return "";
        }
        return relative;
    }

    /// <summary>The site's base as this request sees it (scheme, host and path base, ending in "/").</summary>
    // A request without a usable Host (HTTP/1.0) still gets the start page: no absolute URL is recognised as ours then.
    public static Uri SiteBase(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Uri.TryCreate($"{request.Scheme}://{request.Host}{request.PathBase}/", UriKind.Absolute, out var siteBase)
            ? siteBase
            : new Uri($"http://localhost{request.PathBase}/");
    }

    /// <summary>The part after the site's base, for an absolute URL of this site or a rooted path under the base.</summary>
    private static string? StripBase(string returnUrl, Uri baseUri)
    {
        var siteBase = baseUri.GetLeftPart(UriPartial.Path);
        if (HasScheme(returnUrl))
        {
            return returnUrl.StartsWith(siteBase, StringComparison.OrdinalIgnoreCase) ? returnUrl[siteBase.Length..] : null;
        }
        if (returnUrl.StartsWith('/'))
        {
            var basePath = baseUri.AbsolutePath;
            return returnUrl.StartsWith(basePath, StringComparison.Ordinal) ? returnUrl[basePath.Length..] : null;
        }
        return returnUrl;
    }

    /// <summary>
    /// What is left must not name a host or scheme, neither as it stands nor once decoded (a later hop that decodes
    /// it must not find "//evil.example" either). The query may hold anything encoded.
    /// </summary>
    private static bool StaysOnSite(string relative)
    {
        var text = relative;
        for (var round = 0; round <= MaxDecodingRounds; round++)
        {
            var path = PathPart(text);
            if (path.StartsWith('/') || HasScheme(path) || !IsPlainText(path))
            {
                return false;
            }
            var decoded = Uri.UnescapeDataString(text);
            if (decoded == text)
            {
                return true;
            }
            text = decoded;
        }
        return false;
    }

    private static string PathPart(string text)
    {
        var end = text.IndexOfAny(['?', '#']);
        return end < 0 ? text : text[..end];
    }

    /// <summary>A ':' before the first '/', '?' or '#' makes the start a scheme (RFC 3986), as browsers read it.</summary>
    private static bool HasScheme(string text)
    {
        var end = text.IndexOfAny(['/', '?', '#']);
        return text.AsSpan(0, end < 0 ? text.Length : end).Contains(':');
    }

    private static bool IsPlainText(string text) =>
        !text.Any(c => c <= ' ' || c == '\\' || char.IsWhiteSpace(c) || char.IsControl(c));
}
