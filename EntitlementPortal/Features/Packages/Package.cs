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

    /// <summary>
    /// What a native format keeps about the version from the package's own metadata (JSON, the format's own shape:
    /// the npm manifest, the nuspec's id and dependencies); null for raw packages.
    /// </summary>
    public string? FormatMetadata { get; set; }
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

    /// <summary>What a native format keeps about this one file (a wheel's requires-python and core metadata); null for raw files.</summary>
    public string? FormatMetadata { get; set; }
}
