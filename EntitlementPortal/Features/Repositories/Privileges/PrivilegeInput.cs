using System.Text.Json.Serialization;
using FluentValidation;

namespace EntitlementPortal.Features.Repositories.Privileges;

/// <summary>Body of the privilege routes: <c>{ "privilege": "read"|"write"|"admin" }</c>.</summary>
public sealed class PrivilegeInput
{
    // Text rather than the enum, so a wrong value is a field error with the allowed words, not a JSON type error.
    public string? Privilege { get; set; }

    public static PrivilegeInput For(RepositoryPrivilege privilege) => new() { Privilege = RepositoryPrivileges.Name(privilege) };
}

/// <summary>
/// A direct grant as the repository's Members section and <c>GET .../privileges</c> show it: either
/// <c>userId</c> or <c>team</c> (a slug), the privilege, and <c>name</c> (the user's e-mail or the team's name).
/// </summary>
public sealed record RepositoryGrantView(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? UserId,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Team,
    RepositoryPrivilege Privilege,
    string Name);

public static class RepositoryPrivileges
{
    public static IReadOnlyList<RepositoryPrivilege> All { get; } = [RepositoryPrivilege.Read, RepositoryPrivilege.Write, RepositoryPrivilege.Admin];

    /// <summary>The word the API and the audit log use: read, write, admin.</summary>
    public static string Name(RepositoryPrivilege privilege) => privilege.ToString().ToLowerInvariant();

    /// <summary>Only the three words (any case); numbers and other names are refused.</summary>
    public static bool TryParse(string? text, out RepositoryPrivilege privilege)
    {
        var word = (text ?? "").Trim();
        foreach (var candidate in All)
        {
            if (string.Equals(Name(candidate), word, StringComparison.OrdinalIgnoreCase))
            {
                privilege = candidate;
                return true;
            }
        }
        privilege = default;
        return false;
    }
}

public sealed class PrivilegeInputValidator : AbstractValidator<PrivilegeInput>
{
    public PrivilegeInputValidator()
    {
        RuleFor(p => p.Privilege)
            .NotEmpty().WithMessage("Privilege is required: read, write or admin.")
            .Must(p => RepositoryPrivileges.TryParse(p, out _))
                .When(p => !string.IsNullOrWhiteSpace(p.Privilege), ApplyConditionTo.CurrentValidator)
                .WithMessage(p => $"'{p.Privilege}' is not a privilege; use read, write or admin.");
    }
}
