namespace EntitlementPortal.Features.Formats.NuGet;

/// <summary>
/// NuGet v3 packages (.nupkg): id and version come from the package's .nuspec. Stored names are what NuGet compares:
/// the id in lower case (ids are case-insensitive) and the normalised version in lower case, which are also exactly
/// the path segments of the flat container. The id as the author cased it stays in the version's metadata.
/// </summary>
public sealed class NuGetFormat : IPackageFormat
{
    public const string ContentType = "application/octet-stream";

    public string Name => PackageFormats.NuGet;

    public string DisplayName => "NuGet";

    public FormatClaim Claims(string filename) =>
        filename.EndsWith(".nupkg", StringComparison.OrdinalIgnoreCase) ? FormatClaim.Certain : FormatClaim.None;

    public Task<FormatManifest> ReadAsync(string path, string filename, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var metadata = NuspecReader.Read(NupkgArchive.ReadNuspec(path));
        var name = CanonicalName(metadata.Id);
        var version = metadata.Version.ToLowerInvariant();
        // One file per version, under the name the flat container asks for: {id}.{version}.nupkg in lower case.
        return Task.FromResult(new FormatManifest(
            name, version, NupkgFilename(name, version), ContentType, metadata.ToJson(), null, OneFilePerVersion: true));
    }

    public string CanonicalName(string name) => name.ToLowerInvariant();

    public string CanonicalVersion(string version) => NuGetVersion.Canonical(version) ?? version.ToLowerInvariant();

    public IReadOnlyList<ClientSnippet> Snippets(SnippetContext context) => NuGetSnippets.For(context);

    public static string NupkgFilename(string id, string version) => $"{id}.{version}.nupkg";
}
