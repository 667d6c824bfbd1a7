using System.Text.Json.Serialization;

namespace EntitlementPortal.Features.Packages;

/// <summary>A package version as the API returns it (http-contract.md: Package response).</summary>
public sealed record PackageView(
    int Id,
    string Name,
    string Version,
    IReadOnlyList<string> Tags,
    string Format,
    IReadOnlyList<PackageFileView> Files,
    string UploadedBy,
    DateTime UploadedAt)
{
    /// <summary>The repository's slug, for pages that list across repositories; not part of the API shape.</summary>
    [JsonIgnore]
    public string Repo { get; init; } = "";

    [JsonIgnore]
    public long TotalSize => Files.Sum(f => f.Size);
}

public sealed record PackageFileView(string Filename, long Size, string Sha256);
