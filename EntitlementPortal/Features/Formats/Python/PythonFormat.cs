namespace EntitlementPortal.Features.Formats.Python;

/// <summary>
/// Python distributions (wheels and sdists) served as a PEP 503/691 simple index that pip reads, published with
/// twine's upload protocol. A version holds several files (a wheel per platform, an sdist).
/// </summary>
public sealed class PythonFormat : IPackageFormat
{
    public string Name => PackageFormats.Python;

    public string DisplayName => "Python";

    public FormatClaim Claims(string filename) =>
        filename.EndsWith(".whl", StringComparison.OrdinalIgnoreCase) ? FormatClaim.Certain
        // Raw files end like this too: only a PKG-INFO inside makes them sdists.
        : PythonDistribution.SdistStem(filename) is not null ? FormatClaim.Possible
        : FormatClaim.None;

    public Task<FormatManifest> ReadAsync(string path, string filename, CancellationToken cancellationToken) =>
        // Bounded, synchronous reads of a local file: the archive APIs used here have no async entry search.
        Task.FromResult(PythonDistribution.Read(path, filename));

    public string CanonicalName(string name) => PythonNames.Normalize(name);

    public string CanonicalVersion(string version) => PythonVersion.Normalize(version) ?? version.Trim().ToLowerInvariant();

    public IReadOnlyList<ClientSnippet> Snippets(SnippetContext context) => PythonSnippets.For(context);
}
