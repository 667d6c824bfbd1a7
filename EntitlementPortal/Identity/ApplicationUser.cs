using Microsoft.AspNetCore.Identity;

namespace EntitlementPortal.Identity;

public sealed class ApplicationUser : IdentityUser
{
    public const int NameMaxLength = 100;

    /// <summary>The person's name as administrators see it in lists; optional (the e-mail address identifies them).</summary>
    [PersonalData]
    public string? Name { get; set; }

    public DateTime CreatedAt { get; set; } = DateTime.UtcNow;

    /// <summary>The last successful sign-in to the portal (API keys and downloads don't count).</summary>
    public DateTime? LastSignInAt { get; set; }
}
