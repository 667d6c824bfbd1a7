namespace EntitlementPortal.Features.Formats;

/// <summary>
/// One native package format (python, npm, nuget): how it reads a package's own metadata and which client
/// set-up lines it offers. Its routes live in its own folder (Formats/Python, Npm, NuGet); everything they
/// decide about a download goes through the download service, like the raw routes.
/// </summary>
public interface IPackageFormat
{
    /// <summary>The stored format and the path segment of its routes: "python", "npm", "nuget".</summary>
    string Name { get; }

    /// <summary>Title for people ("Python", "npm", "NuGet").</summary>
    string DisplayName { get; }

    /// <summary>
    /// Whether a file of this name is a package of this format: Certain for names only this format uses (".whl",
    /// ".nupkg"), Possible for names raw files use too (".tar.gz", ".tgz": the content decides), None otherwise.
    /// </summary>
    FormatClaim Claims(string filename);

    /// <summary>
    /// Reads name, version and metadata from the package file itself (<paramref name="path"/>, already complete on
    /// disk), with bounded extraction. Throws FluentValidation's ValidationException with a message a client prints
    /// when the file is not a valid package of this format.
    /// </summary>
    Task<FormatManifest> ReadAsync(string path, string filename, CancellationToken cancellationToken);

    /// <summary>A name as this format stores and compares it (PEP 503-normalised, NuGet's lower-case id, npm's exact name).</summary>
    string CanonicalName(string name);

    /// <summary>A version as this format stores and compares it (NuGet's normalised version; the others as written).</summary>
    string CanonicalVersion(string version);

    /// <summary>Ready-to-paste client set-up for a repository with packages of this format.</summary>
    IReadOnlyList<ClientSnippet> Snippets(SnippetContext context);
}

/// <summary>
/// What a format read from a package: <paramref name="Name"/> and <paramref name="Version"/> as stored (the
/// format's canonical form, so that the database's unique index compares them as the format does), the file name
/// the package is stored under, and the JSON the format keeps per version and per file.
/// </summary>
public sealed record FormatManifest(
    string Name, string Version, string Filename, string ContentType, string? PackageMetadata, string? FileMetadata, bool OneFilePerVersion);

/// <summary>
/// What a snippet is for: the portal's base URL (no trailing slash), the repository, the token (null: the
/// customer's own token goes where <see cref="TokenPlaceholder"/> is) and the names of the packages of the format.
/// </summary>
public sealed record SnippetContext(string BaseUrl, string Repo, string? Token, IReadOnlyList<string> PackageNames)
{
    public const string TokenPlaceholder = "YOUR_TOKEN";

    public string TokenOrPlaceholder => Token ?? TokenPlaceholder;

    public bool IsPlainHttp => BaseUrl.StartsWith("http://", StringComparison.OrdinalIgnoreCase);

    /// <summary>The host (and port) as clients' credential files key it: "portal.example.com:8080".</summary>
    public string HostAndPort => new Uri(BaseUrl).Authority;

    // The token goes in as it is: its format keeps it to URL-safe characters, and the placeholder must stay readable.
    public string TokenBase => $"{BaseUrl}/dl/{TokenOrPlaceholder}/{Uri.EscapeDataString(Repo)}";

    public string BasicBase => $"{BaseUrl}/dl/basic/{Uri.EscapeDataString(Repo)}";
}

/// <summary>One labelled block of client set-up: a file (pip.conf, .npmrc, nuget.config) or a command.</summary>
public sealed record ClientSnippet(string Title, string Text, string? Filename = null);

/// <summary>How sure a format is, from the file name alone, that a file is one of its packages.</summary>
public enum FormatClaim
{
    None,
    Possible,
    Certain,
}
