using Microsoft.Net.Http.Headers;

namespace EntitlementPortal.Features.Downloads;

/// <summary>
/// The Content-Type a download is served with. The stored type is whatever the uploader's client claimed
/// ("text/html", "image/svg+xml", "application/javascript" are all possible), and a browser renders those: a package
/// file opened from a download link would then run script in the portal's origin. So only archive and binary types,
/// which no browser renders, are served as stored; anything else is served as application/octet-stream. Together
/// with Content-Disposition: attachment and X-Content-Type-Options: nosniff, a download is always saved, never shown.
/// Package clients (pip, npm, NuGet, curl) do not look at the type.
/// </summary>
public static class SafeContentType
{
    public const string Fallback = "application/octet-stream";

    // Served as stored: types a browser saves rather than renders. Parameters are dropped (they mean nothing here).
    private static readonly HashSet<string> Safe = new(StringComparer.OrdinalIgnoreCase)
    {
        "application/octet-stream",
        "application/gzip",
        "application/x-gzip",
        "application/x-tar",
        "application/x-gtar",
        "application/x-compressed-tar",
        "application/x-bzip2",
        "application/x-xz",
        "application/zstd",
        "application/zip",
        "application/x-zip-compressed",
        "application/x-7z-compressed",
        "application/java-archive",
        "application/vnd.debian.binary-package",
        "application/x-rpm",
        "application/x-msi",
        "application/x-msdownload",
        "application/vnd.microsoft.portable-executable",
        "application/x-apple-diskimage",
        "application/vnd.android.package-archive",
    };

    /// <summary>The type to send for a file stored as <paramref name="storedType"/>.</summary>
    public static string For(string? storedType) =>
        MediaTypeHeaderValue.TryParse(storedType, out var parsed) && parsed.MediaType.Value is { } mediaType && Safe.Contains(mediaType)
            ? mediaType.ToLowerInvariant()
            : Fallback;
}
