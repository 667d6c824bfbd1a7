using EntitlementPortal.Data;
using EntitlementPortal.Features.Audit;
using EntitlementPortal.Features.Packages.Query;
using EntitlementPortal.Features.Permissions;
using EntitlementPortal.Features.Repositories;
using EntitlementPortal.Features.Shared;
using EntitlementPortal.Identity;
using FluentValidation;
using FluentValidation.Results;
using Microsoft.EntityFrameworkCore;

namespace EntitlementPortal.Features.Packages;

/// <summary>
/// Uploading package files: content written first, then row saved and content published in one transaction
/// under the content's database lock, so a failed upload leaves nothing behind.
/// </summary>
public sealed class PackageUploads(
    IDbContextFactory<AppDbContext> dbFactory,
    PackageStorage storage,
    PackageAccess access,
    PackageBlobCleanup blobs,
    AuditTrail audit,
    TimeProvider clock)
{
    /// <summary>The largest file an upload may have (Storage:MaxUploadBytes).</summary>
    public long MaxUploadBytes => storage.MaxUploadBytes;

    /// <summary>
    /// Stores one file of a package version, creating the version when it is new (its tags are then taken
    /// from <paramref name="tags"/>; an existing version keeps its tags). The content is written to a temp file
    /// first; then the rows are saved and the content published in one transaction under the content's database
    /// lock. If the rows cannot be saved the content never becomes visible, so a failed upload leaves nothing behind.
    /// </summary>
    public async Task<PackageView> UploadAsync(
        Actor actor, string repo, string? name, string? version, string? tags, string? filename, Stream content,
        string? contentType = null, IProgress<long>? progress = null, CancellationToken cancellationToken = default)
    {
        var (input, file, repositoryId, standings) = await CheckUploadAsync(actor, repo, name, version, tags, filename, cancellationToken);
        contentType = NormalizeContentType(contentType);

        using var pending = await storage.WriteAsync(content, progress, cancellationToken);
        if (pending.Size == 0)
        {
            throw new ValidationException([new ValidationFailure("file", $"'{file}' is empty; upload a file with content.")]);
        }
        return await SaveFileAsync(actor, standings, repo, repositoryId, input, file, contentType, pending, StoredKind.Raw, cancellationToken);
    }

    /// <summary>Stores already staged content as a raw file (the portal's upload of a file no format took).</summary>
    internal async Task<PackageView> SavePendingRawAsync(
        Actor actor, string repo, string? name, string? version, string? tags, string? filename, string? contentType,
        PendingBlob content, CancellationToken cancellationToken)
    {
        var (input, file, repositoryId, standings) = await CheckUploadAsync(actor, repo, name, version, tags, filename, cancellationToken);
        if (content.Size == 0)
        {
            throw new ValidationException([new ValidationFailure("file", $"'{file}' is empty; upload a file with content.")]);
        }
        return await SaveFileAsync(actor, standings, repo, repositoryId, input, file, NormalizeContentType(contentType), content, StoredKind.Raw, cancellationToken);
    }

    /// <summary>
    /// Stores a native-format package file (python, npm, nuget) whose name and version were read from its own
    /// metadata by the format; the format has already checked them against its own naming rules. Same transaction
    /// and blob lock as a raw upload; a version of another format, a second file where the format allows one
    /// per version, or the same filename again is a conflict.
    /// </summary>
    internal async Task<PackageView> SaveFormatFileAsync(
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
            await EnsureNoEquivalentVersionAsync(db, repositoryId, upload.Name, upload.Version, cancellationToken);
        }
        var kind = new StoredKind(upload.Format, upload.PackageMetadata, upload.FileMetadata, upload.OneFilePerVersion);
        return await SaveFileAsync(actor, standings, repo, repositoryId, input, filename, NormalizeContentType(upload.ContentType), content, kind, cancellationToken);
    }

    /// <summary>
    /// The checks an upload passes before its content is read (who, which repository, name, version, tags, file name,
    /// no such file or equivalent version yet), for a caller that stages the content first: the API runs them as
    /// soon as the fields have arrived, so a doomed upload is refused before a possibly huge body is streamed.
    /// </summary>
    public async Task EnsureUploadAcceptableAsync(
        Actor actor, string repo, string? name, string? version, string? tags, string? filename, CancellationToken cancellationToken = default) =>
        await CheckUploadAsync(actor, repo, name, version, tags, filename, cancellationToken);

    private async Task<((string Name, string Version, IReadOnlyList<string> Tags) Input, string File, int RepositoryId, RepositoryStandings Standings)> CheckUploadAsync(
        Actor actor, string repo, string? name, string? version, string? tags, string? filename, CancellationToken cancellationToken)
    {
        var (repositoryId, standings) = await access.EnsureAsync(actor, repo, Permission.UploadPackage, cancellationToken);
        var input = PackageRules.Validate(name, version, tags);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var file = PackageFilename.Sanitize(filename);
        // Adding a file to an existing version changes that version: its owner's (or an admin's) business.
        var existing = await db.Set<Package>().AsNoTracking()
            .Where(p => p.RepositoryId == repositoryId && p.Name == input.Name && p.Version == input.Version)
            .Select(p => new { p.UploadedById }).FirstOrDefaultAsync(cancellationToken);
        if (existing is not null)
        {
            standings.Ensure(Permission.ChangePackage, existing.UploadedById);
        }
        // Refuse before reading a possibly huge body; the unique index settles races later.
        if (await FileExistsAsync(db, repositoryId, input.Name, input.Version, file, cancellationToken))
        {
            throw DuplicateFile(input.Name, input.Version, file);
        }
        await EnsureNoEquivalentVersionAsync(db, repositoryId, input.Name, input.Version, cancellationToken);
        return (input, file, repositoryId, standings);
    }

    /// <summary>
    /// First half of a multipart upload: the content is written (and hashed) now but stays pending;
    /// <see cref="CompleteStagedAsync"/> records and publishes it once the whole body, with every field, has
    /// arrived, or <see cref="DiscardStaged"/> drops it.
    /// </summary>
    public async Task<StagedFile> StageAsync(
        Actor actor, string repo, string? filename, Stream content, string? contentType, CancellationToken cancellationToken = default)
    {
        await access.EnsureAsync(actor, repo, Permission.UploadPackage, cancellationToken);
        var file = PackageFilename.Sanitize(filename);
        var pending = await storage.WriteAsync(content, cancellationToken: cancellationToken);
        return new StagedFile(file, NormalizeContentType(contentType), pending);
    }

    /// <summary>Second half: validates the fields and records the staged file; its pending content is dropped either way.</summary>
    public async Task<PackageView> CompleteStagedAsync(
        Actor actor, string repo, StagedFile staged, string? name, string? version, string? tags, CancellationToken cancellationToken = default)
    {
        using var pending = staged.Content;
        var (input, file, repositoryId, standings) = await CheckUploadAsync(actor, repo, name, version, tags, staged.Filename, cancellationToken);
        if (pending.Size == 0)
        {
            throw new ValidationException([new ValidationFailure("file", $"'{file}' is empty; upload a file with content.")]);
        }
        return await SaveFileAsync(actor, standings, repo, repositoryId, input, file, staged.ContentType, pending, StoredKind.Raw, cancellationToken);
    }

    /// <summary>Drops staged content that will not be recorded (the request failed before its fields arrived).</summary>
    public static void DiscardStaged(StagedFile staged) => staged.Content.Dispose();

    private async Task<PackageView> SaveFileAsync(
        Actor actor, RepositoryStandings standings, string repo, int repositoryId, (string Name, string Version, IReadOnlyList<string> Tags) input,
        string filename, string contentType, PendingBlob content, StoredKind kind, CancellationToken cancellationToken)
    {
        try
        {
            try
            {
                return await TrySaveFileAsync(actor, standings, repo, repositoryId, input, filename, contentType, content, kind, cancellationToken);
            }
            catch (DbUpdateException ex) when (DatabaseErrors.IsUniqueViolation(ex))
            {
                // Usually another upload created the same new version first: add the file to that one instead.
                try
                {
                    return await TrySaveFileAsync(actor, standings, repo, repositoryId, input, filename, contentType, content, kind, cancellationToken);
                }
                catch (DbUpdateException again) when (DatabaseErrors.IsUniqueViolation(again))
                {
                    throw DuplicateFile(input.Name, input.Version, filename);
                }
            }
        }
        catch when (content.IsPublished)
        {
            // Published but not committed (the commit failed): drop the blob again unless another file uses it.
            await blobs.RemoveIfUnreferencedAsync(content.Sha256, CancellationToken.None);
            throw;
        }
    }

    /// <summary>
    /// Saves the rows and publishes the content in one transaction that holds the content's blob lock, so a
    /// clean-up on any instance either runs before (and the blob is re-created here if it removed it) or after
    /// the row is committed (and keeps the blob).
    /// </summary>
    private async Task<PackageView> TrySaveFileAsync(
        Actor actor, RepositoryStandings standings, string repo, int repositoryId, (string Name, string Version, IReadOnlyList<string> Tags) input,
        string filename, string contentType, PendingBlob content, StoredKind kind, CancellationToken cancellationToken)
    {
        var blob = content.Blob;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.TakeLockAsync(DatabaseLock.PackageBlobs(blob.Sha256), cancellationToken);
        var now = clock.GetUtcNow().UtcDateTime;
        var package = await db.Set<Package>().Include(p => p.Files)
            .FirstOrDefaultAsync(p => p.RepositoryId == repositoryId && p.Name == input.Name && p.Version == input.Version, cancellationToken);
        var created = package is null;
        if (package is null)
        {
            var userExists = actor.UserId is { } userId && await db.Set<ApplicationUser>().AnyAsync(u => u.Id == userId, cancellationToken);
            package = new Package
            {
                RepositoryId = repositoryId,
                Name = input.Name,
                Version = input.Version,
                Tags = PackageTags.Join(input.Tags),
                Format = kind.Format,
                FormatMetadata = kind.PackageMetadata,
                UploadedById = userExists ? actor.UserId : null,
                UploadedByName = actor.Name,
                UploadedAt = now,
            };
            db.Add(package);
        }
        else if (package.Format != kind.Format)
        {
            throw new ConflictException("name",
                $"{input.Name} {input.Version} is already a {package.Format} package in '{repo}'; a {kind.Format} package can't share its name and version.");
        }
        else if (package.Files.Any(f => f.Filename == filename))
        {
            throw DuplicateFile(input.Name, input.Version, filename);
        }
        else if (kind.OneFilePerVersion)
        {
            throw new ConflictException("version", $"{input.Name} {input.Version} already exists in '{repo}'; publish a new version.");
        }
        else
        {
            // Another upload may have created the version since the first check.
            standings.Ensure(Permission.ChangePackage, package.UploadedById);
        }

        package.Files.Add(new PackageFile
        {
            Filename = filename,
            Size = blob.Size,
            Sha256 = blob.Sha256,
            ContentType = contentType,
            UploadedAt = now,
            FormatMetadata = kind.FileMetadata,
        });
        audit.Record(db, actor, created ? AuditActions.Create : AuditActions.Update, AuditEntityTypes.Package,
            PackageAccess.AuditId(repo, input.Name, input.Version),
            $"Uploaded '{filename}' ({blob.Size} bytes, SHA-256 {blob.Sha256}) to {(created ? "new " : "")}package {input.Name} {input.Version} in '{repo}'.");
        await db.SaveChangesAsync(cancellationToken);
        storage.Publish(content);
        await transaction.CommitAsync(cancellationToken);
        var views = await PackageAccess.ViewsAsync(db.Set<Package>().AsNoTracking().Where(p => p.Id == package.Id), cancellationToken);
        return views[0];
    }

    /// <summary>
    /// 1.2 and 1.2.0 (or v1.2) are the same version to queries and ordering; two rows for it would make
    /// "which one" ambiguous, so a new version must differ from every stored one of that name.
    /// </summary>
    private static async Task EnsureNoEquivalentVersionAsync(
        AppDbContext db, int repositoryId, string name, string version, CancellationToken cancellationToken)
    {
        var wanted = PackageVersion.Parse(version);
        if (!wanted.IsParsed)
        {
            return;
        }
        var versions = await db.Set<Package>().Where(p => p.RepositoryId == repositoryId && p.Name == name)
            .Select(p => p.Version).ToListAsync(cancellationToken);
        if (versions.Contains(version, StringComparer.Ordinal))
        {
            return;
        }
        if (versions.FirstOrDefault(v => PackageVersion.Parse(v).Equals(wanted)) is { } existing)
        {
            throw new ConflictException("version",
                $"{name} already has version '{existing}', which is the same version as '{version}'. Upload to '{existing}' instead.");
        }
    }

    private static async Task<bool> FileExistsAsync(
        AppDbContext db, int repositoryId, string name, string version, string filename, CancellationToken cancellationToken) =>
        await db.Set<PackageFile>().AnyAsync(f => f.Package!.RepositoryId == repositoryId && f.Package.Name == name
            && f.Package.Version == version && f.Filename == filename, cancellationToken);

    private static string NormalizeContentType(string? contentType)
    {
        contentType = contentType?.Trim();
        return string.IsNullOrEmpty(contentType) || contentType.Length > PackageRules.ContentTypeMaxLength
            || contentType.Any(char.IsControl)
            ? PackageRules.DefaultContentType
            : contentType;
    }

    /// <summary>The format a stored file gets and what the format keeps about it.</summary>
    private sealed record StoredKind(string Format, string? PackageMetadata, string? FileMetadata, bool OneFilePerVersion)
    {
        public static StoredKind Raw { get; } = new(PackageRules.RawFormat, null, null, false);
    }

    private static ConflictException DuplicateFile(string name, string version, string filename) =>
        new("file", $"{name} {version} already has a file named '{filename}'.");
}

/// <summary>
/// A native-format file to store: name, version and metadata as its format read them from the package itself.
/// <paramref name="OneFilePerVersion"/>: npm and NuGet versions are immutable (one file); a Python version holds many.
/// </summary>
public sealed record FormatFileUpload(
    string Format, string Name, string Version, IReadOnlyList<string> Tags, string Filename, string ContentType,
    string? PackageMetadata, string? FileMetadata, bool OneFilePerVersion);

/// <summary>A file written and hashed, waiting for the package it belongs to before it is published.</summary>
public sealed record StagedFile(string Filename, string ContentType, PendingBlob Content);
