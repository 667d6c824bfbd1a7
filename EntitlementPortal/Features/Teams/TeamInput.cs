using System.Text.RegularExpressions;
using FluentValidation;

namespace EntitlementPortal.Features.Teams;

/// <summary>What a person or the API sends to create or rename a team (the form binds to it too).</summary>
public sealed class TeamInput
{
    public string Slug { get; set; } = "";
    public string Name { get; set; } = "";

    public TeamInput Copy() => (TeamInput)MemberwiseClone();
}

/// <summary>A team as pages and the API show it; <c>Members</c> are user ids.</summary>
public sealed record TeamView(int Id, string Slug, string Name, IReadOnlyList<string> Members, DateTime CreatedAt, DateTime UpdatedAt)
{
    public TeamInput ToInput() => new() { Slug = Slug, Name = Name };
}

/// <summary>A member as the Teams page lists them.</summary>
public sealed record TeamMemberView(string UserId, string? Email, string? DisplayName, DateTime AddedAt);

public static partial class TeamRules
{
    public const int SlugMinLength = 2;
    public const int SlugMaxLength = 64;
    public const int NameMaxLength = 100;

    // The same shape as a repository slug, so both read alike in URLs and grants.
    [GeneratedRegex("^[a-z0-9]([a-z0-9-]*[a-z0-9])?$")]
    public static partial Regex SlugPattern();
}

public sealed class TeamInputValidator : AbstractValidator<TeamInput>
{
    public TeamInputValidator()
    {
        RuleFor(t => t.Slug)
            .NotEmpty().WithMessage("Slug is required.")
            .Length(TeamRules.SlugMinLength, TeamRules.SlugMaxLength)
                .WithMessage($"Slug must be {TeamRules.SlugMinLength} to {TeamRules.SlugMaxLength} characters.")
            .Matches(TeamRules.SlugPattern())
                .WithMessage("Slug may contain only lowercase letters, digits and '-', and must start and end with a letter or digit.");
        RuleFor(t => t.Name)
            .NotEmpty().WithMessage("Name is required.")
            .MaximumLength(TeamRules.NameMaxLength);
    }
}
