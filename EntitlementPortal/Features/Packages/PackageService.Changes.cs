using EntitlementPortal.Data;
using EntitlementPortal.Features.Audit;
using EntitlementPortal.Features.Packages.Query;
using EntitlementPortal.Features.Repositories;
using EntitlementPortal.Features.Shared;
using EntitlementPortal.Identity;
using FluentValidation;
using FluentValidation.Results;
using Microsoft.EntityFrameworkCore;

namespace EntitlementPortal.Features.Packages;

/// <summary>Uploading and deleting package files: blob first, row second, blob removed when nothing uses it.</summary>
public sealed partial class PackageService
{
    /// <summary>
    /// Stores one file of a package version, creating the version when it is new (its tags are then taken
    /// from <paramref name="tags"/>; an existing version keeps its tags). The content is written to the blob
    /// store first and the row second; if the row cannot be saved the blob is removed again unless another
    /// file has the same content, so a failed upload leaves nothing behind.
    /// </summary>
    public async Task<PackageView> UploadAsync(
        Actor actor, string repo, string? name, string? version, string? tags, string? filename, Stream content,
        string? contentType = null, IProgress<long>? progress = null, CancellationToken cancellationToken = default)
    {
        var (input, file, repositoryId) = await CheckUploadAsync(actor, repo, name, version, tags, filename, cancellationToken);
        contentType = NormalizeContentType(contentType);

        var blob = await storage.WriteAsync(content, progress, cancellationToken);
        // Held until the row is saved (or the blob removed), so a delete of the same content elsewhere cannot
        // take the blob away between "it exists" and "a row points at it".
        using (await storage.LockAsync(blob.Sha256, CancellationToken.None))
        {
            try
            {
                if (blob.Size == 0)
                {
                    throw new ValidationException([new ValidationFailure("file", $"'{file}' is empty; upload a file with content.")]);
                }
                if (!storage.Exists(blob.Sha256))
                {
                    throw new ConflictException("file", $"'{file}' was removed from storage while it was being saved; upload it again.");
                }
                return await SaveFileAsync(actor, repo, repositoryId, input, file, contentType, blob, cancellationToken);
            }
            catch
            {
                await DeleteBlobIfUnreferencedAsync(blob.Sha256, CancellationToken.None);
                throw;
            }
        }
    }

    /// <summary>
    /// The checks an upload passes before its content is read (who, which repository, name, version, tags, file name,
    /// no such file or equivalent version yet), for a caller that stages the content first: the API runs them as
    /// soon as the fields have arrived, so a doomed upload is refused before a possibly huge body is streamed.
    /// </summary>
    public async Task EnsureUploadAcceptableAsync(
        Actor actor, string repo, string? name, string? version, string? tags, string? filename, CancellationToken cancellationToken = default) =>
        await CheckUploadAsync(actor, repo, name, version, tags, filename, cancellationToken);

    private async Task<((string Name, string Version, IReadOnlyList<string> Tags) Input, string File, int RepositoryId)> CheckUploadAsync(
        Actor actor, string repo, string? name, string? version, string? tags, string? filename, CancellationToken cancellationToken)
    {
        EnsureCanChange(actor);
        var input = PackageRules.Validate(name, version, tags);
        var file = PackageFilename.Sanitize(filename);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var repositoryId = await RepositoryIdAsync(db, actor, repo, cancellationToken);
        // Refuse before reading a possibly huge body; the unique index settles races later.
        if (await FileExistsAsync(db, repositoryId, input.Name, input.Version, file, cancellationToken))
        {
            throw DuplicateFile(input.Name, input.Version, file);
        }
        await EnsureNoEquivalentVersionAsync(db, repositoryId, input.Name, input.Version, cancellationToken);
        return (input, file, repositoryId);
    }

    /// <summary>
    /// First half of a multipart upload: the content is stored (and hashed) now, the package row is made by
    /// <see cref="CompleteStagedAsync"/> once the whole body, with every field, has arrived.
    /// </summary>
    public async Task<StagedFile> StageAsync(
        Actor actor, string repo, string? filename, Stream content, string? contentType, CancellationToken cancellationToken = default)
    {
        EnsureCanChange(actor);
        var file = PackageFilename.Sanitize(filename);
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            await RepositoryIdAsync(db, actor, repo, cancellationToken);
        }
        var blob = await storage.WriteAsync(content, cancellationToken: cancellationToken);
        return new StagedFile(file, NormalizeContentType(contentType), blob);
    }

    /// <summary>Second half: validates the fields and records the staged file, or removes its content again.</summary>
    public async Task<PackageView> CompleteStagedAsync(
        Actor actor, string repo, StagedFile staged, string? name, string? version, string? tags, CancellationToken cancellationToken = default)
    {
        using (await storage.LockAsync(staged.Blob.Sha256, CancellationToken.None))
        {
            try
            {
                EnsureCanChange(actor);
                var input = PackageRules.Validate(name, version, tags);
                int repositoryId;
                await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
                {
                    repositoryId = await RepositoryIdAsync(db, actor, repo, cancellationToken);
                    if (await FileExistsAsync(db, repositoryId, input.Name, input.Version, staged.Filename, cancellationToken))
                    {
                        throw DuplicateFile(input.Name, input.Version, staged.Filename);
                    }
                    await EnsureNoEquivalentVersionAsync(db, repositoryId, input.Name, input.Version, cancellationToken);
                }
                if (staged.Blob.Size == 0)
                {
                    throw new ValidationException([new ValidationFailure("file", $"'{staged.Filename}' is empty; upload a file with content.")]);
                }
                if (!storage.Exists(staged.Blob.Sha256))
                {
                    throw new ConflictException("file", $"'{staged.Filename}' was removed from storage while it was being saved; upload it again.");
                }
                return await SaveFileAsync(actor, repo, repositoryId, input, staged.Filename, staged.ContentType, staged.Blob, cancellationToken);
            }
            catch
            {
                await DeleteBlobIfUnreferencedAsync(staged.Blob.Sha256, CancellationToken.None);
                throw;
            }
        }
    }

    /// <summary>Drops staged content that will not be recorded (the request failed before its fields arrived).</summary>
    public async Task DiscardStagedAsync(StagedFile staged)
    {
        using (await storage.LockAsync(staged.Blob.Sha256, CancellationToken.None))
        {
            await DeleteBlobIfUnreferencedAsync(staged.Blob.Sha256, CancellationToken.None);
        }
    }

    public async Task DeleteAsync(Actor actor, string repo, int id, CancellationToken cancellationToken = default)
    {
        EnsureCanChange(actor);
        List<string> hashes;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            var repositoryId = await RepositoryIdAsync(db, actor, repo, cancellationToken);
            var package = await db.Set<Package>().Include(p => p.Files)
                .FirstOrDefaultAsync(p => p.Id == id && p.RepositoryId == repositoryId, cancellationToken)
                ?? throw new NotFoundException($"Package {id} in '{repo}'");
            hashes = package.Files.Select(f => f.Sha256).Distinct().ToList();

            db.Remove(package);
            audit.Record(db, actor, AuditActions.Delete, AuditEntityTypes.Package, AuditId(repo, package.Name, package.Version),
                $"Deleted package {package.Name} {package.Version} ({package.Files.Count} file{(package.Files.Count == 1 ? "" : "s")}) from '{repo}'.");
            await db.SaveChangesAsync(cancellationToken);
        }
        // After the rows are gone: a blob another file still uses stays.
        foreach (var hash in hashes)
        {
            using (await storage.LockAsync(hash, CancellationToken.None))
            {
                await DeleteBlobIfUnreferencedAsync(hash, CancellationToken.None);
            }
        }
    }

    private async Task<PackageView> SaveFileAsync(
        Actor actor, string repo, int repositoryId, (string Name, string Version, IReadOnlyList<string> Tags) input,
        string filename, string contentType, StoredBlob blob, CancellationToken cancellationToken)
    {
        try
        {
            return await TrySaveFileAsync(actor, repo, repositoryId, input, filename, contentType, blob, cancellationToken);
        }
        catch (DbUpdateException ex) when (DatabaseErrors.IsUniqueViolation(ex))
        {
            // Usually another upload created the same new version first: add the file to that one instead.
            try
            {
                return await TrySaveFileAsync(actor, repo, repositoryId, input, filename, contentType, blob, cancellationToken);
            }
            catch (DbUpdateException again) when (DatabaseErrors.IsUniqueViolation(again))
            {
                throw DuplicateFile(input.Name, input.Version, filename);
            }
        }
    }

    private async Task<PackageView> TrySaveFileAsync(
        Actor actor, string repo, int repositoryId, (string Name, string Version, IReadOnlyList<string> Tags) input,
        string filename, string contentType, StoredBlob blob, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
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
                UploadedById = userExists ? actor.UserId : null,
                UploadedByName = actor.Name,
                UploadedAt = now,
            };
            db.Add(package);
        }
        else if (package.Files.Any(f => f.Filename == filename))
        {
            throw DuplicateFile(input.Name, input.Version, filename);
        }

        package.Files.Add(new PackageFile
        {
            Filename = filename,
            Size = blob.Size,
            Sha256 = blob.Sha256,
            ContentType = contentType,
            UploadedAt = now,
        });
        audit.Record(db, actor, created ? AuditActions.Create : AuditActions.Update, AuditEntityTypes.Package,
            AuditId(repo, input.Name, input.Version),
            $"Uploaded '{filename}' ({blob.Size} bytes, SHA-256 {blob.Sha256}) to {(created ? "new " : "")}package {input.Name} {input.Version} in '{repo}'.");
        await db.SaveChangesAsync(cancellationToken);
        var views = await Views(db.Set<Package>().AsNoTracking().Where(p => p.Id == package.Id), cancellationToken);
        return views[0];
    }

    /// <summary>After package rows went away elsewhere (a repository deleted with its packages): drop blobs nobody uses.</summary>
    internal async Task RemoveUnreferencedBlobsAsync(IEnumerable<string> hashes)
    {
        foreach (var hash in hashes.Distinct())
        {
            using (await storage.LockAsync(hash, CancellationToken.None))
            {
                await DeleteBlobIfUnreferencedAsync(hash, CancellationToken.None);
            }
        }
    }

    private async Task DeleteBlobIfUnreferencedAsync(string sha256, CancellationToken cancellationToken)
    {
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            if (!await db.Set<PackageFile>().AnyAsync(f => f.Sha256 == sha256, cancellationToken))
            {
                storage.Delete(sha256);
            }
        }
        catch (Exception ex) when (ex is DbUpdateException or InvalidOperationException or IOException)
        {
            // An orphaned blob costs disk space only; never mask the error that brought us here.
            logger.LogWarning(ex, "Could not check or remove blob {Sha256}", sha256);
        }
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
}

/// <summary>A file already in the blob store, waiting for the package it belongs to.</summary>
public sealed record StagedFile(string Filename, string ContentType, StoredBlob Blob);
