namespace EntitlementPortal.Features.Packages.Query;

/// <summary>What a package query is evaluated against: one package version, or one file of it.</summary>
/// <param name="Filename">
/// The file being downloaded, or null for the package version as a whole (listing it). A <c>filename:</c>
/// term is false when this is null — even <c>filename:*</c> — so a query that names files only ever lets
/// through those files, never the whole package; <c>NOT filename:...</c> is then true.
/// </param>
/// <param name="Tags">A <c>tag:</c> term is true when any tag matches; with no tags it is false.</param>
public sealed record PackageFacts(
    string Name,
    string Version,
    string? Filename,
    IReadOnlyCollection<string> Tags,
    string Format);
