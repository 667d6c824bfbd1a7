using EntitlementPortal.Features.Repositories;
using EntitlementPortal.Identity;

namespace EntitlementPortal.Features.Packages;

/// <summary>One version of a package in a repository: name + version (+ tags) with one or more files.</summary>
public sealed class Package
{
    public int Id { get; set; }
    public int RepositoryId { get; set; }
    public Repository? Repository { get; set; }
    public required string Name { get; set; }

    /// <summary>As typed by the uploader; ordering and comparisons go through Query.PackageVersion.</summary>
    public required string Version { get; set; }

    /// <summary>Normalised tags, comma-separated (see <see cref="PackageTags"/>); "" for none.</summary>
    public string Tags { get; set; } = "";

    public string Format { get; set; } = PackageRules.RawFormat;
    public string? UploadedById { get; set; }
    public ApplicationUser? UploadedBy { get; set; }

    /// <summary>Kept as text so the package still names its uploader after the account is removed.</summary>
    public required string UploadedByName { get; set; }

    public DateTime UploadedAt { get; set; }
    public List<PackageFile> Files { get; set; } = [];
}

/// <summary>A file of a package version; its content lives in the blob store under <see cref="Sha256"/>.</summary>
public sealed class PackageFile
{
    public int Id { get; set; }
    public int PackageId { get; set; }
    public Package? Package { get; set; }
    public required string Filename { get; set; }
    public long Size { get; set; }
    public required string Sha256 { get; set; }
    public required string ContentType { get; set; }
    public DateTime UploadedAt { get; set; }
}
