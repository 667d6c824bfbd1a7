using System.Security.Cryptography;
using System.Text.Json;
using EntitlementPortal.Features.Packages;
using static EntitlementPortal.Features.Formats.Python.CoreMetadata;

namespace EntitlementPortal.Features.Formats.Python;

/// <summary>The kinds of file a Python version holds, named as the upload protocol's "filetype" field names them.</summary>
public enum PythonFileKind
{
    Wheel,
    Sdist,
}

/// <summary>
/// Reads a wheel or an sdist: its core metadata decides name, version and requires-python, and its file name
/// (which pip parses before downloading) must say the same name and version.
/// </summary>
public static class PythonDistribution
{
    /// <summary>What the file name says it is, or null for a name that is no Python distribution.</summary>
    public static (PythonFileKind Kind, string Name, string Version)? ParseFilename(string filename)
    {
        if (filename.EndsWith(".whl", StringComparison.OrdinalIgnoreCase))
        {
            // {distribution}-{version}(-{build tag})?-{python tag}-{abi tag}-{platform tag}.whl
            var parts = filename[..^4].Split('-');
            return parts.Length is 5 or 6 ? (PythonFileKind.Wheel, parts[0], parts[1]) : null;
        }
        var stem = SdistStem(filename);
        if (stem is null)
        {
            return null;
        }
        // {name}-{version}.tar.gz; older sdists kept '-' in the name, so the version is after the last one.
        var dash = stem.LastIndexOf('-');
        return dash > 0 && dash < stem.Length - 1 ? (PythonFileKind.Sdist, stem[..dash], stem[(dash + 1)..]) : null;
    }

    public static string? SdistStem(string filename) =>
        filename.EndsWith(".tar.gz", StringComparison.OrdinalIgnoreCase) ? filename[..^7]
        : filename.EndsWith(".zip", StringComparison.OrdinalIgnoreCase) ? filename[..^4]
        : null;

    public static FormatManifest Read(string path, string filename)
    {
        if (new FileInfo(path).Length == 0)
        {
            throw Invalid($"'{filename}' is empty.");
        }
        if (ParseFilename(filename) is not { } named)
        {
            throw Invalid($"'{filename}' is not a Python distribution file name: a wheel is "
                + "{name}-{version}-{python}-{abi}-{platform}.whl, an sdist {name}-{version}.tar.gz (or .zip).");
        }
        var metadataFile = named.Kind == PythonFileKind.Wheel ? "METADATA" : "PKG-INFO";
        byte[] bytes;
        using (var file = File.OpenRead(path))
        {
            bytes = named.Kind == PythonFileKind.Wheel ? PythonArchive.WheelMetadata(file, filename)
                : filename.EndsWith(".zip", StringComparison.OrdinalIgnoreCase) ? PythonArchive.ZipSdistMetadata(file, filename)
                : PythonArchive.TarSdistMetadata(path, filename);
        }
        var metadata = Parse(bytes, $"{filename}: {metadataFile}");

        if (!PythonNames.IsValid(metadata.Name))
        {
            throw Invalid($"'{metadata.Name}' ({metadataFile} Name) is not a valid Python project name: ASCII letters, digits, "
                + "'-', '_' and '.', starting and ending with a letter or digit.");
        }
        var name = PythonNames.Normalize(metadata.Name);
        if (PackageRules.NameProblem(name) is { } nameProblem)
        {
            throw Invalid($"'{metadata.Name}' can't be published here: {nameProblem}");
        }
        var version = PythonVersion.Normalize(metadata.Version)
            ?? throw Invalid($"'{metadata.Version}' ({metadataFile} Version) is not a valid PEP 440 version.");
        if (version.Contains('!'))
        {
            throw Invalid($"Version '{metadata.Version}' has an epoch ('!'); the portal does not store versions with an epoch.");
        }
        if (PackageRules.VersionProblem(version) is { } versionProblem)
        {
            throw Invalid($"Version '{version}' can't be published here: {versionProblem}");
        }
        if (PythonNames.Normalize(named.Name) != name || PythonVersion.Normalize(named.Version) != version)
        {
            throw Invalid($"'{filename}' names {named.Name} {named.Version}, but its {metadataFile} says {metadata.Name} {metadata.Version}.");
        }

        var packageMetadata = JsonSerializer.Serialize(new PythonPackageMetadata(metadata.Name, metadata.Summary), PythonJson.Options);
        var fileMetadata = JsonSerializer.Serialize(
            new PythonFileMetadata(named.Kind == PythonFileKind.Wheel ? "bdist_wheel" : "sdist", metadata.RequiresPython, metadata.MetadataVersion,
                // PEP 658: pip reads a wheel's METADATA before the wheel; the index promises its hash.
                named.Kind == PythonFileKind.Wheel ? Convert.ToHexStringLower(SHA256.HashData(bytes)) : null),
            PythonJson.Options);
        var contentType = named.Kind == PythonFileKind.Wheel || filename.EndsWith(".zip", StringComparison.OrdinalIgnoreCase)
            ? "application/zip" : "application/gzip";
        return new FormatManifest(name, version, filename, contentType, packageMetadata, fileMetadata, OneFilePerVersion: false);
    }
}

/// <summary>Kept per version: the name as the project writes it and its summary.</summary>
public sealed record PythonPackageMetadata(string DisplayName, string? Summary);

/// <summary>Kept per file (a wheel and an sdist of one version may differ): what the index shows about it.</summary>
public sealed record PythonFileMetadata(string PackageType, string? RequiresPython, string? MetadataVersion, string? MetadataSha256 = null);

internal static class PythonJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    public static PythonFileMetadata? File(string? json)
    {
        if (string.IsNullOrEmpty(json))
        {
            return null;
        }
        try
        {
            return JsonSerializer.Deserialize<PythonFileMetadata>(json, Options);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
