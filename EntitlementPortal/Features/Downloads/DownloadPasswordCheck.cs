using System.Security.Cryptography;
using EntitlementPortal.Identity;
using Microsoft.AspNetCore.Identity;

namespace EntitlementPortal.Features.Downloads;

/// <summary>
/// Checks an account's password for a download with the app's password hasher and nothing else. Deliberately not
/// SignInManager: a download must never move the portal's failed sign-in count or lockout (anyone who knows a
/// repository slug could otherwise lock the account, its API keys and user tokens with it), nor reset the count or
/// rehash on success. Password hashes are upgraded at portal sign-in.
/// </summary>
internal sealed class DownloadPasswordCheck(IPasswordHasher<ApplicationUser> hasher, UnknownUserPasswordHash unknownUser)
{
    /// <summary>
    /// Exactly one hash verification on every path: an unknown user, or one without a password, is verified against a
    /// hash of a random password made with the same hasher, so the answer time does not tell which user names exist.
    /// </summary>
    public bool IsRight(ApplicationUser? user, string password)
    {
        var hash = user?.PasswordHash ?? unknownUser.HashWith(hasher);
        var result = hasher.VerifyHashedPassword(user ?? unknownUser.Placeholder, hash, password);
        return user?.PasswordHash is not null && result != PasswordVerificationResult.Failed;
    }
}

/// <summary>The stand-in hash for users that do not exist: made once per process, of a password nobody knows.</summary>
internal sealed class UnknownUserPasswordHash
{
    private string? hash;

    public ApplicationUser Placeholder { get; } = new();

    // Made with the app's own hasher (the first caller's), so it costs what a real user's verification costs.
    public string HashWith(IPasswordHasher<ApplicationUser> hasher) =>
        LazyInitializer.EnsureInitialized(ref hash, () => hasher.HashPassword(Placeholder, Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))));
}
