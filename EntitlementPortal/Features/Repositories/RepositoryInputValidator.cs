using System.Text.RegularExpressions;
using FluentValidation;

namespace EntitlementPortal.Features.Repositories;

public static partial class RepositoryRules
{
    public const int SlugMinLength = 2;
    public const int SlugMaxLength = 64;
    public const int NameMaxLength = 100;
    public const int DescriptionMaxLength = 1000;

    /// <summary>A licence agreement is long, but a page must still show it whole.</summary>
    public const int EulaMaxLength = 50_000;

    /// <summary>Words the download and API routes use in the slug's place.</summary>
    public static readonly string[] ReservedSlugs = ["public", "basic", "api"];

    [GeneratedRegex("^[a-z0-9]([a-z0-9-]*[a-z0-9])?$")]
    public static partial Regex SlugPattern();

    /// <summary>
    /// A slug made from a name as the form suggests it: "Acme Builds (Ünïx)" becomes "acme-builds-unix". It may still
    /// break a rule (too short, reserved); the validator says so, as it would for a typed slug.
    /// </summary>
    public static string SuggestSlug(string? name)
    {
        var slug = new System.Text.StringBuilder();
        // Decomposing first turns accented letters into a plain letter plus a mark, and the mark is dropped.
        foreach (var c in (name ?? "").Normalize(System.Text.NormalizationForm.FormD).ToLowerInvariant())
        {
            if (c is >= 'a' and <= 'z' or >= '0' and <= '9')
            {
                slug.Append(c);
            }
            else if (System.Globalization.CharUnicodeInfo.GetUnicodeCategory(c) != System.Globalization.UnicodeCategory.NonSpacingMark
                     && slug.Length > 0 && slug[^1] != '-')
            {
                slug.Append('-');
            }
        }
        var text = slug.ToString();
        return text[..Math.Min(text.Length, SlugMaxLength)].Trim('-');
    }
}

public sealed class RepositoryInputValidator : AbstractValidator<RepositoryInput>
{
    public RepositoryInputValidator()
    {
        RuleFor(r => r.Slug)
            .NotEmpty().WithMessage("Slug is required.")
            .Length(RepositoryRules.SlugMinLength, RepositoryRules.SlugMaxLength)
                .WithMessage($"Slug must be {RepositoryRules.SlugMinLength} to {RepositoryRules.SlugMaxLength} characters.")
            .Matches(RepositoryRules.SlugPattern())
                .WithMessage("Slug may contain only lowercase letters, digits and '-', and must start and end with a letter or digit.")
            .Must(slug => !RepositoryRules.ReservedSlugs.Contains(slug))
                .WithMessage(r => $"'{r.Slug}' is reserved; choose another slug.");
        RuleFor(r => r.Name)
            .NotEmpty().WithMessage("Name is required.")
            .MaximumLength(RepositoryRules.NameMaxLength);
        RuleFor(r => r.Description).MaximumLength(RepositoryRules.DescriptionMaxLength);
        RuleFor(r => r.Eula).MaximumLength(RepositoryRules.EulaMaxLength);
        RuleFor(r => r.Visibility).IsInEnum().WithMessage("Visibility must be private or public.");
    }
}
