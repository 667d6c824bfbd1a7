using System.Text.Json.Serialization;

namespace EntitlementPortal.Features.Formats.NuGet;

// The JSON documents of the NuGet v3 protocol, as the client reads them
// (https://learn.microsoft.com/nuget/api/overview). Only the fields NuGet uses, with the protocol's names.

public sealed record ServiceIndex(
    [property: JsonPropertyName("version")] string Version,
    [property: JsonPropertyName("resources")] IReadOnlyList<ServiceResource> Resources);

public sealed record ServiceResource(
    [property: JsonPropertyName("@id")] string Id,
    [property: JsonPropertyName("@type")] string Type,
    [property: JsonPropertyName("comment")] string? Comment = null);

public sealed record VersionList([property: JsonPropertyName("versions")] IReadOnlyList<string> Versions);

public sealed record RegistrationIndex(
    [property: JsonPropertyName("@id")] string Id,
    [property: JsonPropertyName("count")] int Count,
    [property: JsonPropertyName("items")] IReadOnlyList<RegistrationPage> Items);

public sealed record RegistrationPage(
    [property: JsonPropertyName("@id")] string Id,
    [property: JsonPropertyName("count")] int Count,
    [property: JsonPropertyName("lower")] string Lower,
    [property: JsonPropertyName("upper")] string Upper,
    [property: JsonPropertyName("items")] IReadOnlyList<RegistrationLeaf> Items);

public sealed record RegistrationLeaf(
    [property: JsonPropertyName("@id")] string Id,
    [property: JsonPropertyName("catalogEntry")] CatalogEntry CatalogEntry,
    [property: JsonPropertyName("packageContent")] string PackageContent,
    [property: JsonPropertyName("registration")] string Registration);

public sealed record CatalogEntry(
    [property: JsonPropertyName("@id")] string Url,
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("version")] string Version,
    [property: JsonPropertyName("listed")] bool Listed,
    [property: JsonPropertyName("title")] string? Title,
    [property: JsonPropertyName("description")] string? Description,
    [property: JsonPropertyName("authors")] string? Authors,
    [property: JsonPropertyName("tags")] string? Tags,
    [property: JsonPropertyName("projectUrl")] string? ProjectUrl,
    [property: JsonPropertyName("licenseExpression")] string? LicenseExpression,
    [property: JsonPropertyName("licenseUrl")] string? LicenseUrl,
    [property: JsonPropertyName("published")] DateTime Published,
    [property: JsonPropertyName("packageContent")] string PackageContent,
    [property: JsonPropertyName("dependencyGroups")] IReadOnlyList<DependencyGroupEntry> DependencyGroups);

public sealed record DependencyGroupEntry(
    [property: JsonPropertyName("targetFramework")] string? TargetFramework,
    [property: JsonPropertyName("dependencies")] IReadOnlyList<DependencyEntry> Dependencies);

public sealed record DependencyEntry(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("range")] string? Range);

public sealed record SearchResults(
    [property: JsonPropertyName("totalHits")] int TotalHits,
    [property: JsonPropertyName("data")] IReadOnlyList<SearchResult> Data);

public sealed record SearchResult(
    [property: JsonPropertyName("@id")] string Registration,
    [property: JsonPropertyName("@type")] string Type,
    [property: JsonPropertyName("registration")] string RegistrationIndex,
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("version")] string Version,
    [property: JsonPropertyName("title")] string? Title,
    [property: JsonPropertyName("description")] string? Description,
    [property: JsonPropertyName("authors")] string? Authors,
    [property: JsonPropertyName("tags")] string? Tags,
    [property: JsonPropertyName("totalDownloads")] long TotalDownloads,
    [property: JsonPropertyName("versions")] IReadOnlyList<SearchVersion> Versions);

public sealed record SearchVersion(
    [property: JsonPropertyName("version")] string Version,
    [property: JsonPropertyName("downloads")] long Downloads,
    [property: JsonPropertyName("@id")] string Id);
