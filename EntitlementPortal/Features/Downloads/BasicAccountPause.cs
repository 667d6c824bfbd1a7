using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace EntitlementPortal.Features.Downloads;

/// <summary>
/// Pauses Basic downloads for one user name after <see cref="DownloadOptions.FailedPasswordsPerUserName"/> wrong
/// passwords within <see cref="DownloadOptions.UserNameWindowSeconds"/>: such requests get 429 with Retry-After
/// before the password is looked at, until the oldest of those failures leaves the window.
/// </summary>
/// <remarks>
/// This replaces Identity's lockout on the download route. Lockout would lock the portal account itself, and with it
/// its API keys and user tokens, for anyone who knows a repository slug; the pause only stops this route for this
/// name. It is keyed on the name as presented (normalised), whether an account has it or not, so pausing an unknown
/// name looks exactly like pausing a real one. Per instance, in memory (see <see cref="FailureWindow"/>).
/// </remarks>
public sealed class BasicAccountPause(IOptions<DownloadOptions> options, TimeProvider clock)
{
    /// <summary>User names tracked at once; beyond it the name whose last failure is oldest is forgotten.</summary>
    public const int MaxTrackedUserNames = 10_000;

    private readonly FailureWindow failures = new(
        clock,
        Math.Max(1, options.Value.FailedPasswordsPerUserName),
        TimeSpan.FromSeconds(Math.Max(1, options.Value.UserNameWindowSeconds)),
        MaxTrackedUserNames);

    internal int TrackedUserNames => failures.TrackedKeys;

    /// <summary>How long Basic downloads with this (normalised) user name must wait, or null when they may try now.</summary>
    public TimeSpan? RetryAfter(string normalizedUserName) => failures.RetryAfter(KeyOf(normalizedUserName));

    public void RecordFailure(string normalizedUserName) => failures.RecordFailure(KeyOf(normalizedUserName));

    // A Basic user name can be as long as the request headers allow; its digest keeps every key at 64 characters.
    private static string KeyOf(string normalizedUserName) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(normalizedUserName)));
}
