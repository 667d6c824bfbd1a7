using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;
using EntitlementPortal.Features.Packages;

namespace EntitlementPortal.Features.Formats.NuGet;

/// <summary>
/// What the portal keeps of a package's .nuspec (stored as the version's format metadata, JSON): the id as the
/// author cased it, the normalised and the original version, the texts the feed's search and registration show,
/// and the dependency groups. Texts are shortened: every index request loads the metadata of every version.
/// </summary>
public sealed record NuGetPackageMetadata(
    string Id, string Version, string OriginalVersion, string? Title, string? Description, string? Authors, string? Tags,
    string? ProjectUrl, string? LicenseExpression, string? LicenseUrl, IReadOnlyList<NuGetDependencyGroup> DependencyGroups)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>The stored metadata, or what little the stored names say when it is missing or unreadable.</summary>
    public static NuGetPackageMetadata FromJson(string? json, string name, string version)
    {
        try
        {
            if (json is not null && JsonSerializer.Deserialize<NuGetPackageMetadata>(json, Json) is { Id: not null, Version: not null } stored)
            {
                return stored with { DependencyGroups = stored.DependencyGroups ?? [] };
            }
        }
        catch (JsonException)
        {
        }
        return new(name, version, version, null, null, null, null, null, null, null, []);
    }
}

public sealed record NuGetDependencyGroup(string? TargetFramework, IReadOnlyList<NuGetDependency> Dependencies);

public sealed record NuGetDependency(string Id, string? Range);

/// <summary>Reads a .nuspec (untrusted XML: no DTDs, no external entities, size already capped by the archive reader).</summary>
public static partial class NuspecReader
{
    public const int MaxIdLength = PackageRules.NameMaxLength;
    private const int MaxTextLength = 4000;
    private const int MaxShortTextLength = 1000;
    private const int MaxDependencyGroups = 64;
    private const int MaxDependencies = 512;

    // NuGet's own id rule (PackageIdValidator), restricted to ASCII so the lower-cased id is a valid portal name.
    [GeneratedRegex(@"^[A-Za-z0-9_]+(?:[_.\-][A-Za-z0-9_]+)*$", RegexOptions.CultureInvariant)]
    private static partial Regex IdPattern();

    public static NuGetPackageMetadata Read(byte[] nuspec)
    {
        var metadata = Parse(nuspec).Root?.Elements().FirstOrDefault(e => e.Name.LocalName == "metadata")
            ?? throw NupkgArchive.Invalid("The .nuspec has no <package><metadata> element.");
        var id = Text(metadata, "id") ?? throw NupkgArchive.Invalid("The .nuspec has no <id>.");
        if (id.Length > MaxIdLength || !IdPattern().IsMatch(id))
        {
            throw NupkgArchive.Invalid(
                $"'{Shorten(id, 120)}' is not a package id this feed serves: up to {MaxIdLength} ASCII letters, digits and '_', separated by single '.' or '-'.");
        }
        if (PackageRules.NameProblem(id.ToLowerInvariant()) is { } nameProblem)
        {
            throw NupkgArchive.Invalid($"The package id '{id}' can't be used: {nameProblem}");
        }
        var original = Text(metadata, "version") ?? throw NupkgArchive.Invalid("The .nuspec has no <version>.");
        var version = NuGetVersion.Normalize(original)
            ?? throw NupkgArchive.Invalid($"'{Shorten(original, 80)}' in the .nuspec is not a NuGet version (such as 1.2.3 or 1.2.3-beta.1).");
        if (PackageRules.VersionProblem(version) is { } versionProblem)
        {
            throw NupkgArchive.Invalid($"The version '{version}' can't be used: {versionProblem}");
        }
        var license = metadata.Elements().FirstOrDefault(e => e.Name.LocalName == "license");
        return new NuGetPackageMetadata(
            id, version, Shorten(original, 256), ShortText(metadata, "title"), Shorten(Text(metadata, "description"), MaxTextLength),
            ShortText(metadata, "authors"), ShortText(metadata, "tags"), ShortText(metadata, "projectUrl"),
            license?.Attribute("type")?.Value == "expression" ? Shorten(license.Value.Trim(), MaxShortTextLength) : null,
            ShortText(metadata, "licenseUrl"), DependencyGroups(metadata));
    }

    private static XDocument Parse(byte[] nuspec)
    {
        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            MaxCharactersInDocument = NupkgArchive.MaxNuspecBytes * 2L,
            IgnoreComments = true,
        };
        try
        {
            using var reader = XmlReader.Create(new MemoryStream(nuspec), settings);
            return XDocument.Load(reader);
        }
        catch (XmlException ex)
        {
            throw NupkgArchive.Invalid($"The .nuspec is not valid XML: {ex.Message}");
        }
    }

    private static List<NuGetDependencyGroup> DependencyGroups(XElement metadata)
    {
        var dependencies = metadata.Elements().FirstOrDefault(e => e.Name.LocalName == "dependencies");
        if (dependencies is null)
        {
            return [];
        }
        // Either <group targetFramework="..."> elements, or (old style) <dependency> elements for every framework.
        var groups = dependencies.Elements().Where(e => e.Name.LocalName == "group")
            .Select(g => new NuGetDependencyGroup(Attribute(g, "targetFramework"), Dependencies(g)))
            .ToList();
        var ungrouped = Dependencies(dependencies);
        if (ungrouped.Count > 0)
        {
            groups.Insert(0, new NuGetDependencyGroup(null, ungrouped));
        }
        if (groups.Count > MaxDependencyGroups || groups.Sum(g => g.Dependencies.Count) > MaxDependencies)
        {
            throw NupkgArchive.Invalid(
                $"The .nuspec lists too many dependencies (at most {MaxDependencyGroups} groups and {MaxDependencies} dependencies).");
        }
        return groups;
    }

    private static List<NuGetDependency> Dependencies(XElement parent) =>
        parent.Elements().Where(e => e.Name.LocalName == "dependency")
            .Select(d => (Id: Attribute(d, "id"), Range: Attribute(d, "version")))
            .Where(d => d.Id is not null)
            .Select(d => new NuGetDependency(Shorten(d.Id!, MaxIdLength + 20), d.Range is null ? null : Shorten(d.Range, 128)))
            .ToList();

    private static string? Text(XElement metadata, string name) =>
        metadata.Elements().FirstOrDefault(e => e.Name.LocalName == name)?.Value.Trim() is { Length: > 0 } value ? value : null;

    private static string? ShortText(XElement metadata, string name) => Shorten(Text(metadata, name), MaxShortTextLength);

    private static string? Attribute(XElement element, string name) =>
        element.Attribute(name)?.Value.Trim() is { Length: > 0 } value ? value : null;

    [return: System.Diagnostics.CodeAnalysis.NotNullIfNotNull(nameof(text))]
    private static string? Shorten(string? text, int length) => text is null || text.Length <= length ? text : text[..length] + "…";
}
