using EntitlementPortal.Data;
using EntitlementPortal.Features.Permissions;
using EntitlementPortal.Features.Shared;
using FluentValidation;
using FluentValidation.Results;
using Microsoft.EntityFrameworkCore;

namespace EntitlementPortal.Features.Packages;

/// <summary>Storing native-format package files (python, npm, nuget) read by a format adapter.</summary>
public sealed class FormatFileUploads(IDbContextFactory<AppDbContext> dbFactory, PackageAccess access, PackageFileSaving saving)
{
    /// <summary>
    /// Stores a native-format package file (python, npm, nuget) whose name and version were read from its own
    /// metadata by the format; the format has already checked them against its own naming rules. Same transaction
    /// and blob lock as a raw upload; a version of another format, a second file where the format allows one
    /// per version, or the same filename again is a conflict.
    /// </summary>
    public async Task<PackageView> SaveAsync(
        Actor actor, string repo, FormatFileUpload upload, PendingBlob content, CancellationToken cancellationToken)
    {
        var (repositoryId, standings) = await access.EnsureAsync(actor, repo, Permission.UploadPackage, cancellationToken);
        var parsedTags = PackageTags.Parse(PackageTags.Join(upload.Tags), out var tagsProblem);
        if (tagsProblem is not null)
        {
            throw new ValidationException([new ValidationFailure("tags", tagsProblem)]);
        }
        var input = (upload.Name, upload.Version, parsedTags);
        var filename = PackageFilename.Sanitize(upload.Filename);
        if (content.Size == 0)
        {
            throw new ValidationException([new ValidationFailure("file", $"'{filename}' is empty; upload a file with content.")]);
        }
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            var existing = await db.Set<Package>().AsNoTracking()
                .Where(p => p.RepositoryId == repositoryId && p.Name == upload.Name && p.Version == upload.Version)
                .Select(p => new { p.UploadedById }).FirstOrDefaultAsync(cancellationToken);
            if (existing is not null)
            {
                standings.Ensure(Permission.ChangePackage, existing.UploadedById);
            }
            await PackageFileSaving.EnsureNoEquivalentVersionAsync(db, repositoryId, upload.Name, upload.Version, cancellationToken);
        }
        var kind = new PackageFileSaving.StoredKind(upload.Format, upload.PackageMetadata, upload.FileMetadata, upload.OneFilePerVersion);
        return await saving.SaveAsync(actor, standings, repo, repositoryId, input, filename, PackageFileSaving.NormalizeContentType(upload.ContentType), content, kind, cancellationToken);
    }
}

public sealed record FormatFileUpload(
    string Format, string Name, string Version, IReadOnlyList<string> Tags, string Filename, string ContentType,
    string? PackageMetadata, string? FileMetadata, bool OneFilePerVersion);
