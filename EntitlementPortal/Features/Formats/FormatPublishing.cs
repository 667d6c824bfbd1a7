using EntitlementPortal.Features.Packages;
using EntitlementPortal.Features.Permissions;
using EntitlementPortal.Features.Shared;
using FluentValidation;
using FluentValidation.Results;

namespace EntitlementPortal.Features.Formats;

/// <summary>
/// Publishing a native package: the content is staged, the format reads name, version and metadata from the
/// package itself, and the file is stored like any upload (PackageUploads: one transaction, nothing left behind on
/// failure). The native clients' publish endpoints and the portal's upload dialog both come through here.
/// </summary>
public sealed class FormatPublishing(PackageStorage storage, PackageUploads uploads, FormatFileUploads formatUploads, PackageAccess access, PackageFormats formats)
{
    /// <summary>
    /// Publishes <paramref name="content"/> as a package of <paramref name="format"/>. What the client said besides
    /// the file (<paramref name="expected"/>: twine's name and version fields, npm's manifest) must agree with the
    /// package's own metadata, or nothing is stored.
    /// </summary>
    public async Task<PackageView> PublishAsync(
        Actor actor, string repo, IPackageFormat format, string? filename, Stream content, PublishExpectations? expected = null,
        CancellationToken cancellationToken = default)
    {
        // Refuse who may not publish before a possibly large body is read.
        await access.EnsureAsync(actor, repo, Permission.UploadPackage, cancellationToken);
        using var pending = await storage.WriteAsync(content, cancellationToken: cancellationToken);
        var manifest = await format.ReadAsync(await pending.LocalFileAsync(cancellationToken), filename ?? "", cancellationToken);
        EnsureAgrees(format, manifest, expected?.Name, expected?.Version);
        return await formatUploads.SaveAsync(actor, repo, UploadOf(format, manifest, expected?.Tags ?? []), pending, cancellationToken);
    }

    /// <summary>
    /// The portal's upload: a file a format claims is stored as that format, with name and version from the package
    /// (typed ones must agree); a file only possibly of a format (".tar.gz") whose content is not such a package, and
    /// every other file, is stored raw under the typed name and version.
    /// </summary>
    public async Task<PackageView> UploadDetectingFormatAsync(
        Actor actor, string repo, string? name, string? version, string? tags, string? filename, Stream content,
        string? contentType = null, IProgress<long>? progress = null, CancellationToken cancellationToken = default)
    {
        if (formats.Detect(filename) is not { } detected)
        {
            return await uploads.UploadAsync(actor, repo, name, version, tags, filename, content, contentType, progress, cancellationToken);
        }
        await access.EnsureAsync(actor, repo, Permission.UploadPackage, cancellationToken);
        using var pending = await storage.WriteAsync(content, progress, cancellationToken);
        FormatManifest manifest;
        try
        {
            manifest = await detected.Format.ReadAsync(await pending.LocalFileAsync(cancellationToken), filename!, cancellationToken);
        }
        catch (ValidationException) when (detected.Claim == FormatClaim.Possible)
        {
            return await uploads.SavePendingRawAsync(actor, repo, name, version, tags, filename, contentType, pending, cancellationToken);
        }
        EnsureAgrees(detected.Format, manifest, name, version);
        var parsedTags = PackageTags.Parse(tags, out var tagsProblem);
        if (tagsProblem is not null)
        {
            throw new ValidationException([new ValidationFailure("tags", tagsProblem)]);
        }
        return await formatUploads.SaveAsync(actor, repo, UploadOf(detected.Format, manifest, parsedTags), pending, cancellationToken);
    }

    private static FormatFileUpload UploadOf(IPackageFormat format, FormatManifest manifest, IReadOnlyList<string> tags) =>
        new(format.Name, manifest.Name, manifest.Version, tags, manifest.Filename, manifest.ContentType,
            manifest.PackageMetadata, manifest.FileMetadata, manifest.OneFilePerVersion);

    private static void EnsureAgrees(IPackageFormat format, FormatManifest manifest, string? name, string? version)
    {
        var failures = new List<ValidationFailure>();
        if (!string.IsNullOrWhiteSpace(name) && format.CanonicalName(name.Trim()) != manifest.Name)
        {
            failures.Add(new ValidationFailure("name",
                $"The package's own metadata names it '{manifest.Name}', not '{name.Trim()}'."));
        }
        if (!string.IsNullOrWhiteSpace(version) && format.CanonicalVersion(version.Trim()) != manifest.Version)
        {
            failures.Add(new ValidationFailure("version",
                $"The package's own metadata gives version '{manifest.Version}', not '{version.Trim()}'."));
        }
        if (failures.Count > 0)
        {
            throw new ValidationException(failures);
        }
    }
}

/// <summary>What a publishing client sent besides the package: it must agree with the package's own metadata.</summary>
public sealed record PublishExpectations(string? Name = null, string? Version = null, IReadOnlyList<string>? Tags = null);
