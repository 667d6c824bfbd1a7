using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace EntitlementPortal.Features.Formats.Npm;

/// <summary>
/// npm packages: a tarball (<c>package/package.json</c> inside) per version, named and versioned by its own
/// package.json. Names are stored exactly as npm writes them (<c>@scope/name</c>); versions are strict semver.
/// </summary>
public sealed class NpmFormat : IPackageFormat
{
    public string Name => PackageFormats.Npm;

    public string DisplayName => "npm";

    // ".tgz" is also a plain archive: the content decides (a raw file when it is no npm package).
    public FormatClaim Claims(string filename) =>
        filename.EndsWith(".tgz", StringComparison.OrdinalIgnoreCase) ? FormatClaim.Possible : FormatClaim.None;

    public string CanonicalName(string name) => name;

    public string CanonicalVersion(string version) => version;

    public async Task<FormatManifest> ReadAsync(string path, string filename, CancellationToken cancellationToken)
    {
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true);
        if (file.Length == 0)
        {
            throw NpmTarball.Invalid("The file is empty; publish an npm tarball.");
        }
        var contents = await NpmTarball.ReadAsync(file, NpmTarballLimits.Default, cancellationToken);
        var json = contents.PackageJson;
        var name = StringOf(json, "name");
        var version = StringOf(json, "version");
        var problems = new[] { NpmNames.NameProblem(name), NpmNames.VersionProblem(version) }.OfType<string>().ToList();
        if (problems.Count > 0)
        {
            throw NpmTarball.Invalid(string.Join(" ", problems));
        }
        file.Position = 0;
        var (integrity, shasum) = await DigestsAsync(file, cancellationToken);
        var fileMetadata = new JsonObject
        {
            ["integrity"] = integrity,
            ["shasum"] = shasum,
            ["fileCount"] = contents.FileCount,
            ["unpackedSize"] = contents.UnpackedSize,
        };
        return new FormatManifest(name!, version!, NpmNames.TarballFilename(name!, version!), "application/octet-stream",
            VersionManifest(json).ToJsonString(), fileMetadata.ToJsonString(), OneFilePerVersion: true);
    }

    /// <summary>npm's dist.integrity (SRI sha512) and legacy dist.shasum (sha1 hex) of the tarball.</summary>
    public static async Task<(string Integrity, string Shasum)> DigestsAsync(Stream content, CancellationToken cancellationToken)
    {
        using var sha512 = IncrementalHash.CreateHash(HashAlgorithmName.SHA512);
        using var sha1 = IncrementalHash.CreateHash(HashAlgorithmName.SHA1);
        var buffer = new byte[81920];
        while (await content.ReadAsync(buffer, cancellationToken) is > 0 and var read)
        {
            sha512.AppendData(buffer, 0, read);
            sha1.AppendData(buffer, 0, read);
        }
        return ("sha512-" + Convert.ToBase64String(sha512.GetHashAndReset()), Convert.ToHexStringLower(sha1.GetHashAndReset()));
    }

    /// <summary>
    /// What the packument shows of a version: its package.json without npm's private "_" fields and the readme (large,
    /// and not needed to install). The registry's own fields (dist, _id) are added when the packument is served.
    /// </summary>
    private static JsonObject VersionManifest(JsonElement packageJson)
    {
        var manifest = new JsonObject();
        foreach (var property in packageJson.EnumerateObject())
        {
            if (!property.Name.StartsWith('_') && property.Name is not ("readme" or "readmeFilename" or "dist"))
            {
                manifest[property.Name] = JsonNode.Parse(property.Value.GetRawText());
            }
        }
        return manifest;
    }

    private static string? StringOf(JsonElement json, string property) =>
        json.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    public IReadOnlyList<ClientSnippet> Snippets(SnippetContext context) => NpmSnippets.For(context);
}
