using System.Threading.RateLimiting;

namespace EntitlementPortal.Features.Downloads;

public sealed class DownloadOptions
{
    public const string Section = "Downloads";

    /// <summary>Failed credential attempts one client address may make per minute before getting 429.</summary>
    public int FailedAttemptsPerMinute { get; set; } = 30;
}

/// <summary>
/// Slows down token guessing: every failed credential attempt from an address uses a permit of a sliding
/// one-minute window; when they are used up, that address gets 429 with Retry-After before any credential is
/// even looked at. Successful downloads use no permit, so busy honest clients are never throttled.
/// </summary>
public sealed class FailedCredentialLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<string> limiter;

    public FailedCredentialLimiter(Microsoft.Extensions.Options.IOptions<DownloadOptions> options)
    {
        var permits = Math.Max(1, options.Value.FailedAttemptsPerMinute);
        limiter = PartitionedRateLimiter.Create<string, string>(address => RateLimitPartition.GetSlidingWindowLimiter(address,
            _ => new SlidingWindowRateLimiterOptions
            {
                PermitLimit = permits,
                Window = Window,
                SegmentsPerWindow = Segments,
                QueueLimit = 0,
                AutoReplenishment = true,
            }));
    }

    public static TimeSpan Window { get; } = TimeSpan.FromMinutes(1);

    private const int Segments = 6;

    /// <summary>How long this address must wait before its next attempt, or null when it may try now.</summary>
    public TimeSpan? RetryAfter(string address)
    {
        // Asking for zero permits only looks: it fails, with a retry time, once the address used them all.
        using var probe = limiter.AttemptAcquire(address, 0);
        return probe.IsAcquired ? null : RetryAfterOf(probe);
    }

    /// <summary>Uses one permit for a failed attempt.</summary>
    public void RecordFailure(string address)
    {
        using var lease = limiter.AttemptAcquire(address);
    }

    private static TimeSpan RetryAfterOf(RateLimitLease lease) =>
        lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) && retryAfter > TimeSpan.Zero ? retryAfter : Window / Segments;

    public void Dispose() => limiter.Dispose();
}
