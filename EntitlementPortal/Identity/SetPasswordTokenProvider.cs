using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.WebUtilities;

namespace EntitlementPortal.Identity;

/// <summary>
/// The one-time code in a set-password link (there is no mail server: an administrator hands the link over).
/// Like Identity's <see cref="DataProtectorTokenProvider{TUser}"/> it protects (time, user, purpose, security
/// stamp) with Data Protection, so setting the password (which changes the stamp) spends the link, and so do
/// locking the account or changing its roles. Unlike it, the time comes from the injected
/// <see cref="TimeProvider"/>, so the 24-hour expiry is testable with a fake clock.
/// Registered as Identity's password-reset provider: UserManager.ResetPasswordAsync uses it.
/// </summary>
public sealed class SetPasswordTokenProvider(IDataProtectionProvider dataProtection, TimeProvider clock)
    : IUserTwoFactorTokenProvider<ApplicationUser>
{
    public const string ProviderName = "SetPassword";

    public static readonly TimeSpan Lifespan = TimeSpan.FromHours(24);

    private readonly IDataProtector protector = dataProtection.CreateProtector("EntitlementPortal.SetPasswordLink.v1");

    public async Task<string> GenerateAsync(string purpose, UserManager<ApplicationUser> manager, ApplicationUser user)
    {
        using var buffer = new MemoryStream();
        await using (var writer = new BinaryWriter(buffer, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(clock.GetUtcNow().UtcTicks);
            writer.Write(await manager.GetUserIdAsync(user));
            writer.Write(purpose);
            writer.Write(await manager.GetSecurityStampAsync(user) ?? "");
        }
        return WebEncoders.Base64UrlEncode(protector.Protect(buffer.ToArray()));
    }

    public async Task<bool> ValidateAsync(string purpose, string token, UserManager<ApplicationUser> manager, ApplicationUser user)
    {
        byte[] payload;
        try
        {
            payload = protector.Unprotect(WebEncoders.Base64UrlDecode(token));
        }
        catch (Exception ex) when (ex is CryptographicException or FormatException)
        {
            return false;
        }
        using var reader = new BinaryReader(new MemoryStream(payload), Encoding.UTF8);
        var created = new DateTimeOffset(reader.ReadInt64(), TimeSpan.Zero);
        if (created + Lifespan < clock.GetUtcNow())
        {
            return false;
        }
        var userId = reader.ReadString();
        var tokenPurpose = reader.ReadString();
        var stamp = reader.ReadString();
        return userId == await manager.GetUserIdAsync(user)
            && tokenPurpose == purpose
            && stamp == (await manager.GetSecurityStampAsync(user) ?? "");
    }

    public Task<bool> CanGenerateTwoFactorTokenAsync(UserManager<ApplicationUser> manager, ApplicationUser user) => Task.FromResult(false);
}
