using Microsoft.AspNetCore.Identity;

namespace EntitlementPortal.Identity;

public sealed class ApplicationUser : IdentityUser
{
    [PersonalData]
    public string? DisplayName { get; set; }

    public DateTime CreatedAt { get; set; } = DateTime.UtcNow;
}
