using System.Globalization;
using EntitlementPortal.Features.Packages;
using EntitlementPortal.Features.Packages.Storage;
using EntitlementPortal.Hosting;

namespace EntitlementPortal.Features.Downloads;

/// <summary>
/// <c>Downloads:Offload=Redirect</c>: once the portal has decided and counted a download, the client is sent (302) to
/// a short-lived pre-signed GET address of the blob in the bucket, so the bytes do not pass through the portal. A
/// redirect is a served download, counted when issued with the full file size: the portal cannot see what the client
/// then fetches. Only whole-file GETs are redirected; ranges, HEAD and conditional answers stay with the portal,
/// whose counting of them is exact.
/// </summary>
public sealed class RedirectOffload
{
    public const string OffloadKey = AccelRedirectOffload.OffloadKey;
    public const string LifetimeKey = DownloadOptions.Section + ":RedirectLifetime";
    public static readonly TimeSpan DefaultLifetime = TimeSpan.FromSeconds(60);

    /// <summary>Long enough for a slow client to start, short enough that a leaked address is soon worthless.</summary>
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromMinutes(15);

    private readonly PackageStorage storage;

    public RedirectOffload(IConfiguration configuration, PackageStorage storage)
    {
        this.storage = storage;
        Mode = ModeFrom(configuration);
        Lifetime = LifetimeFrom(configuration);
    }

    public DownloadOffload Mode { get; }

    public TimeSpan Lifetime { get; }

    /// <summary>Checks the settings at start-up, so a wrong one is one line and exit 1, not a failing download.</summary>
    public static void EnsureValid(IConfiguration configuration)
    {
        if (ModeFrom(configuration) == DownloadOffload.Redirect
            && !string.Equals(configuration[$"{PackageStorage.Section}:Provider"]?.Trim(), nameof(StorageProvider.S3), StringComparison.OrdinalIgnoreCase))
        {
            throw new StartupFailedException($"{OffloadKey}=Redirect needs {PackageStorage.Section}:Provider=S3: only an object store can hand out pre-signed addresses.");
        }
        LifetimeFrom(configuration);
    }

    /// <summary>Names only, any case: a number would silently pick a mode by its position.</summary>
    public static DownloadOffload ModeFrom(IConfiguration configuration)
    {
        var text = configuration[OffloadKey]?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            return DownloadOffload.None;
        }
        foreach (var name in Enum.GetNames<DownloadOffload>())
        {
            if (string.Equals(name, text, StringComparison.OrdinalIgnoreCase))
            {
                return Enum.Parse<DownloadOffload>(name);
            }
        }
        throw new StartupFailedException($"{OffloadKey} '{text}' is not valid; use None, XAccelRedirect or Redirect.");
    }

    /// <summary>The 302 for this download, or null when the portal sends the bytes itself.</summary>
    internal IResult? TryRedirect(HttpContext http, ServedFile file)
    {
        if (Mode != DownloadOffload.Redirect || file.Plan.Kind != FileResponseKind.Whole || !HttpMethods.IsGet(http.Request.Method)
            || storage.Store is not S3BlobStore bucket)
        {
            return null;
        }
        var url = bucket.PresignGet(file.Sha256, file.Filename, SafeContentType.For(file.ContentType), Lifetime);
        // The address is a bearer credential for a minute: no cache may keep it.
        http.Response.Headers.CacheControl = "no-store";
        return TypedResults.Redirect(url);
    }

    /// <summary>Whole seconds (<c>60</c>) or a time span (<c>00:01:00</c>), from 1 second to 15 minutes.</summary>
    private static TimeSpan LifetimeFrom(IConfiguration configuration)
    {
        var text = configuration[LifetimeKey]?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            return DefaultLifetime;
        }
        var lifetime = int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) ? TimeSpan.FromSeconds(seconds)
            : TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var span) ? span
            : TimeSpan.Zero;
        return lifetime >= TimeSpan.FromSeconds(1) && lifetime <= MaxLifetime ? lifetime
            : throw new StartupFailedException($"{LifetimeKey} '{text}' is not valid; use whole seconds (or hh:mm:ss) from 1 second to 15 minutes.");
    }
}
