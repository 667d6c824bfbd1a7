using System.Text.Json.Serialization;
using EntitlementPortal.Identity;

namespace EntitlementPortal.Features.Users;

/// <summary>What an administrator (the add form, or POST /api/v1/users) sends to add a person.</summary>
public sealed class NewUserInput
{
    public string Email { get; set; } = "";
    public string? Name { get; set; }
    public List<string> Roles { get; set; } = [];

    /// <summary>Optional: without it the person gets a one-time set-password link instead.</summary>
    public string? Password { get; set; }

    public bool IsLocked { get; set; }
}

/// <summary>What an administrator may change about a person (the edit form, or PATCH /api/v1/users/{id}).</summary>
public sealed class UserChanges
{
    public string Email { get; set; } = "";
    public string? Name { get; set; }
    public List<string> Roles { get; set; } = [];
    public bool IsLocked { get; set; }
}

public sealed record UserView(
    string Id,
    string Email,
    string? Name,
    IReadOnlyList<string> Roles,
    bool IsLocked,
    DateTime CreatedAt,
    DateTime? LastSignInAt)
{
    [JsonIgnore]
    public bool IsAdministrator => Roles.Contains(Identity.Roles.Administrator);

    public UserChanges ToChanges() => new() { Email = Email, Name = Name, Roles = [.. Roles], IsLocked = IsLocked };
}

/// <summary>A new person, and the link that lets them choose a password when none was given (shown once, never stored).</summary>
public sealed record CreatedUser(UserView User, string? SetPasswordUrl);

public static class UserRules
{
    public const int EmailMaxLength = 256;
    public const int NameMaxLength = ApplicationUser.NameMaxLength;

    /// <summary>The role names as the API spells them, whatever case was sent; unknown names stay as sent (the validator refuses them).</summary>
    public static List<string> NormalizeRoles(IEnumerable<string?>? roles) =>
        (roles ?? [])
            .Where(role => !string.IsNullOrWhiteSpace(role))
            .Select(role => Identity.Roles.All.FirstOrDefault(known => string.Equals(known, role!.Trim(), StringComparison.OrdinalIgnoreCase)) ?? role!.Trim())
            .Distinct(StringComparer.Ordinal)
            .OrderBy(role => role, StringComparer.Ordinal)
            .ToList();

    public static string? CleanName(string? name) => string.IsNullOrWhiteSpace(name) ? null : name.Trim();
}
