namespace EntitlementPortal.Features.Downloads;

/// <summary>The <c>Downloads</c> settings. Each value is checked at start-up (PortalApplication).</summary>
public sealed class DownloadOptions
{
    public const string Section = "Downloads";

    /// <summary>Failed credential attempts one client address may make per minute before getting 429.</summary>
    public int FailedAttemptsPerMinute { get; set; } = 30;

    /// <summary>Wrong passwords one user name may get on the basic routes within <see cref="UserNameWindowSeconds"/>.</summary>
    public int FailedPasswordsPerUserName { get; set; } = 10;

    /// <summary>The sliding window, in seconds, over which <see cref="FailedPasswordsPerUserName"/> is counted.</summary>
    public int UserNameWindowSeconds { get; set; } = 300;

    /// <summary>Memory for small package files kept by their SHA-256 (<see cref="ContentCache"/>); 0 turns it off.</summary>
    public long ContentCacheBytes { get; set; } = ContentCache.DefaultCapacityBytes;

    /// <summary>Download events queued for the history writer at most; when full, requests wait for room (DownloadEventQueue).</summary>
    public int EventQueueCapacity { get; set; } = 50_000;
}
