using System.Text.RegularExpressions;
using EntitlementPortal.Features.Packages;

namespace EntitlementPortal.Features.Formats.Npm;

/// <summary>
/// npm's rules for names and versions of new packages (validate-npm-package-name, semver), narrowed to what the portal
/// stores: a name is kept exactly as npm writes it (<c>@scope/name</c>), so it must also fit Package.Name (100 chars).
/// </summary>
public static partial class NpmNames
{
    // npm allows 214; the portal's Package.Name column holds 100, and a shorter limit is refused clearly, not cut.
    public const int MaxLength = PackageRules.NameMaxLength;

    private static readonly HashSet<string> Blocked = new(StringComparer.Ordinal) { "node_modules", "favicon.ico" };

    /// <summary>What is wrong with <paramref name="name"/> as an npm package name, or null when it is fine.</summary>
    public static string? NameProblem(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return "The package.json has no \"name\".";
        }
        if (name.Length > MaxLength)
        {
            return $"The npm name '{Shorten(name)}' is longer than {MaxLength} characters, the most this portal stores.";
        }
        if (name[0] is '.' or '_')
        {
            return $"The npm name '{name}' can't start with '.' or '_'.";
        }
        if (!NamePattern().IsMatch(name))
        {
            return $"'{Shorten(name)}' is not a valid npm name: use lowercase letters, digits, '-', '.' and '_', optionally under a scope (@scope/name).";
        }
        var bare = BareName(name);
        if (bare is "." or ".." || ScopeOf(name) is "." or ".." || Blocked.Contains(bare))
        {
            return $"'{name}' is not allowed as an npm name.";
        }
        return null;
    }

    /// <summary>What is wrong with <paramref name="version"/> as an npm version (strict SemVer 2), or null.</summary>
    public static string? VersionProblem(string? version)
    {
        if (string.IsNullOrEmpty(version))
        {
            return "The package.json has no \"version\".";
        }
        if (!SemVerPattern().IsMatch(version))
        {
            return $"'{Shorten(version)}' is not a valid semver version (for example 1.0.0 or 2.0.0-beta.1).";
        }
        return PackageRules.VersionProblem(version);
    }

    /// <summary>"name" of "@scope/name", or the name itself when unscoped: what the tarball file name starts with.</summary>
    public static string BareName(string name) => name.StartsWith('@') && name.IndexOf('/') is > 0 and var slash ? name[(slash + 1)..] : name;

    private static string? ScopeOf(string name) => name.StartsWith('@') && name.IndexOf('/') is > 0 and var slash ? name[1..slash] : null;

    /// <summary>The tarball's file name by the registry convention: name-1.0.0.tgz (the scope is in the path, not the file).</summary>
    public static string TarballFilename(string name, string version) => $"{BareName(name)}-{version}.tgz";

    /// <summary>
    /// A name from a route value: npm sends a scoped name as one segment with the slash encoded (<c>@scope%2fname</c>),
    /// and routing keeps <c>%2F</c> encoded in route values (any case).
    /// </summary>
    public static string FromRoute(string segment) => segment.Replace("%2f", "/", StringComparison.OrdinalIgnoreCase);

    /// <summary>The version a tarball file name of <paramref name="name"/> names, or null when it is not one of its tarballs.</summary>
    public static string? VersionOfTarball(string name, string filename)
    {
        var prefix = BareName(name) + "-";
        return filename.StartsWith(prefix, StringComparison.Ordinal) && filename.EndsWith(".tgz", StringComparison.Ordinal)
            && filename.Length > prefix.Length + 4
            ? filename[prefix.Length..^4]
            : null;
    }

    private static string Shorten(string text) => text.Length > 60 ? text[..60] + "…" : text;

    // validate-npm-package-name for new packages: lowercase, URL-safe, none of ~'!()*; one optional scope.
    [GeneratedRegex(@"^(@[a-z0-9-][a-z0-9._-]*/)?[a-z0-9._-]+\z")]
    private static partial Regex NamePattern();

    // semver.org's own regular expression for SemVer 2.0.0.
    [GeneratedRegex(@"^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(?:-((?:0|[1-9][0-9]*|[0-9]*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9][0-9]*|[0-9]*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?\z", RegexOptions.CultureInvariant)]
    private static partial Regex SemVerPattern();
}
