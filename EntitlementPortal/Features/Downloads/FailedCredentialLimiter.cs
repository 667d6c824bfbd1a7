using Microsoft.Extensions.Options;

namespace EntitlementPortal.Features.Downloads;

/// <summary>
/// Slows down token and password guessing: every failed credential attempt from a client address is recorded in a
/// sliding one-minute window; when the address has used <see cref="DownloadOptions.FailedAttemptsPerMinute"/>, it
/// gets 429 with Retry-After before any credential is even looked at. Successful downloads record nothing, so busy
/// honest clients are never throttled. Per instance, in memory (see <see cref="FailureWindow"/>).
/// </summary>
public sealed class FailedCredentialLimiter(IOptions<DownloadOptions> options, TimeProvider clock)
{
    /// <summary>Addresses tracked at once; beyond it the address whose last failure is oldest is forgotten.</summary>
    public const int MaxTrackedAddresses = 10_000;

    private readonly FailureWindow failures =
        new(clock, Math.Max(1, options.Value.FailedAttemptsPerMinute), Window, MaxTrackedAddresses);

    public static TimeSpan Window { get; } = TimeSpan.FromMinutes(1);

    internal int TrackedAddresses => failures.TrackedKeys;

    /// <summary>How long this address must wait before its next attempt, or null when it may try now.</summary>
    public TimeSpan? RetryAfter(string address) => failures.RetryAfter(address);

    public void RecordFailure(string address) => failures.RecordFailure(address);
}
