using FluentValidation;
using FluentValidation.Results;

namespace EntitlementPortal.Features.Packages;

/// <summary>What a package name, version and tags may be; the service and the upload dialog share these.</summary>
public static class PackageRules
{
    public const string RawFormat = "raw";
    public const int NameMaxLength = 100;
    public const int VersionMaxLength = 64;
    public const int MaxTags = 20;
    public const int TagMaxLength = 32;
    public const int TagsColumnLength = MaxTags * (TagMaxLength + 1);
    public const int ContentTypeMaxLength = 128;
    public const string DefaultContentType = "application/octet-stream";

    /// <summary>The problem with a package name, or null when it is fine.</summary>
    public static string? NameProblem(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return "Enter a package name.";
        }
        if (name.Length > NameMaxLength)
        {
            return $"A package name has at most {NameMaxLength} characters.";
        }
        if (!name.All(IsNameChar) || !char.IsAsciiLetterOrDigit(name[0]))
        {
            return "A package name uses lowercase letters, digits, '-', '.' and '_', and starts with a letter or digit.";
        }
        if (Formats.PackageFormats.ReservedNames.Contains(name))
        {
            return $"'{name}' is reserved for the {Formats.PackageFormats.DisplayName(name)} routes; choose another package name.";
        }
        return null;
    }

    /// <summary>The problem with a version, or null when it is fine. Any text is kept as typed.</summary>
    public static string? VersionProblem(string? version)
    {
        if (string.IsNullOrEmpty(version))
        {
            return "Enter a version.";
        }
        if (version.Length > VersionMaxLength)
        {
            return $"A version has at most {VersionMaxLength} characters.";
        }
        // The version ends up in download URLs and file listings: no separators, spaces or control characters.
        if (!version.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '+' or '_' or '~'))
        {
            return "A version uses letters, digits, '.', '-', '+', '_' and '~' only.";
        }
        return null;
    }

    /// <summary>Trims name and version and checks name, version and tags together, reporting every problem.</summary>
    public static (string Name, string Version, IReadOnlyList<string> Tags) Validate(string? name, string? version, string? tags)
    {
        name = name?.Trim() ?? "";
        version = version?.Trim() ?? "";
        var failures = new List<ValidationFailure>();
        if (NameProblem(name) is { } nameProblem)
        {
            failures.Add(new ValidationFailure("name", nameProblem));
        }
        if (VersionProblem(version) is { } versionProblem)
        {
            failures.Add(new ValidationFailure("version", versionProblem));
        }
        var parsedTags = PackageTags.Parse(tags, out var tagsProblem);
        if (tagsProblem is not null)
        {
            failures.Add(new ValidationFailure("tags", tagsProblem));
        }
        if (failures.Count > 0)
        {
            throw new ValidationException(failures);
        }
        return (name, version, parsedTags);
    }

    internal static bool IsNameChar(char c) => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '-' or '.' or '_';
}

/// <summary>Tags as typed ("Beta, lts") and as stored ("beta,lts": trimmed, lowercase, distinct, in order).</summary>
public static class PackageTags
{
    public static IReadOnlyList<string> Parse(string? text, out string? problem)
    {
        problem = null;
        var tags = (text ?? "")
            .Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(t => t.ToLowerInvariant())
            .Distinct(StringComparer.Ordinal)
            .ToList();
        if (tags.Count > PackageRules.MaxTags)
        {
            problem = $"A package has at most {PackageRules.MaxTags} tags.";
        }
        else if (tags.FirstOrDefault(t => t.Length > PackageRules.TagMaxLength || !t.All(PackageRules.IsNameChar)) is { } bad)
        {
            problem = $"Tag '{(bad.Length > 40 ? bad[..40] + "…" : bad)}' is not valid: a tag has 1–{PackageRules.TagMaxLength} "
                + "lowercase letters, digits, '-', '.' or '_'.";
        }
        return tags;
    }

    public static string Join(IEnumerable<string> tags) => string.Join(',', tags);

    public static IReadOnlyList<string> Split(string stored) =>
        stored.Split(',', StringSplitOptions.RemoveEmptyEntries);
}
