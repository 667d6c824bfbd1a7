using System.Text.RegularExpressions;
using EntitlementPortal.Features.Packages;
using EntitlementPortal.Hosting;
using Microsoft.Net.Http.Headers;

namespace EntitlementPortal.Features.Downloads;

/// <summary>
/// The <c>Downloads:Offload</c> and <c>Downloads:AccelRedirectPrefix</c> settings, read once at start-up, and the
/// rule of which decided downloads nginx may send (X-Accel-Redirect) instead of the portal.
/// </summary>
public sealed partial class AccelRedirectOffload
{
    public const string OffloadKey = DownloadOptions.Section + ":Offload";
    public const string PrefixKey = DownloadOptions.Section + ":AccelRedirectPrefix";
    public const string DefaultPrefix = "/_ep_files/";

    private AccelRedirectOffload(DownloadOffload mode, string prefix)
    {
        Mode = mode;
        Prefix = prefix;
    }

    public DownloadOffload Mode { get; }

    /// <summary>The internal nginx location aliased to the storage root; starts and ends with '/'.</summary>
    public string Prefix { get; }

    public bool IsEnabled => Mode == DownloadOffload.XAccelRedirect;

    /// <summary>Reads and checks both settings; a bad value stops start-up with one line.</summary>
    public static AccelRedirectOffload FromConfiguration(IConfiguration configuration)
    {
        // One reading of Downloads:Offload for both modes; Redirect's own requirements are RedirectOffload's.
        var mode = RedirectOffload.ModeFrom(configuration);
        if (mode == DownloadOffload.XAccelRedirect
            && string.Equals(configuration[$"{PackageStorage.Section}:Provider"]?.Trim(), "S3", StringComparison.OrdinalIgnoreCase))
        {
            // nginx reads the files from the storage folder itself; a bucket has none.
            throw new StartupFailedException($"{OffloadKey}=XAccelRedirect needs files on disk (Storage:Provider=FileSystem); with S3 use Redirect.");
        }

        var prefix = configuration[PrefixKey];
        if (string.IsNullOrEmpty(prefix))
        {
            prefix = DefaultPrefix;
        }
        // Only unreserved path characters: the value goes into a response header and names an nginx location.
        else if (!PrefixPattern().IsMatch(prefix))
        {
            throw new StartupFailedException(
                $"{PrefixKey} '{prefix}' is not valid; use a path that starts and ends with '/', such as {DefaultPrefix}.");
        }
        return new AccelRedirectOffload(mode, prefix);
    }

    /// <summary>
    /// Whether nginx can send this decided response exactly as the plan says. The portal answers 304, 412, 416 and
    /// HEAD itself (no file to send). It also sends the file itself when nginx would judge the request by rules of
    /// its own that could disagree with the plan the ledger counted: If-Match, If-Unmodified-Since and If-Range are
    /// compared by nginx against the blob's own modification time and tag, and a Range header the plan ignored
    /// (unreadable, several ranges) could still be read by nginx as a range or a 416. What is left for nginx: the
    /// whole file without a Range header, or the one valid range the plan chose, which both read the same way.
    /// </summary>
    public bool Sends(HttpRequest request, FileResponsePlan plan)
    {
        if (!IsEnabled || !HttpMethods.IsGet(request.Method) || !plan.HasContent)
        {
            return false;
        }
        var headers = request.Headers;
        if (headers.ContainsKey(HeaderNames.IfMatch) || headers.ContainsKey(HeaderNames.IfUnmodifiedSince) || headers.ContainsKey(HeaderNames.IfRange))
        {
            return false;
        }
        return plan.Kind == FileResponseKind.Partial || !headers.ContainsKey(HeaderNames.Range);
    }

    /// <summary>
    /// The X-Accel-Redirect value for a blob: the prefix and the blob's path under the storage root. Built from the
    /// validated hex hash only, never from anything the request carried.
    /// </summary>
    public string LocationOf(string sha256)
    {
        if (!PackageStorage.IsSha256(sha256))
        {
            throw new ArgumentException("Not a lowercase hex SHA-256.", nameof(sha256));
        }
        return $"{Prefix}sha256/{sha256[..2]}/{sha256[2..4]}/{sha256}";
    }

    [GeneratedRegex("^/(?:[A-Za-z0-9_~-][A-Za-z0-9._~-]*/)+$")]
    private static partial Regex PrefixPattern();
}
