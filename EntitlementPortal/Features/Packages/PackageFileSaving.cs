using EntitlementPortal.Data;
using EntitlementPortal.Features.Audit;
using EntitlementPortal.Features.Packages.Query;
using EntitlementPortal.Features.Permissions;
using EntitlementPortal.Features.Shared;
using EntitlementPortal.Identity;
using Microsoft.EntityFrameworkCore;

namespace EntitlementPortal.Features.Packages;

/// <summary>
/// The step every upload ends with, raw or native format: the rows saved and the content published in one
/// transaction under the content's database lock, so a failed upload leaves nothing behind; plus the duplicate
/// and equivalent-version rules the callers check before they read a body.
/// </summary>
public sealed class PackageFileSaving(
    IDbContextFactory<AppDbContext> dbFactory,
    PackageStorage storage,
    PackageBlobCleanup blobs,
    AuditTrail audit,
    Webhooks.WebhookEvents webhooks,
    TimeProvider clock)
{
    internal async Task<PackageView> SaveAsync(
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
        if (created)
        {
            await webhooks.RaiseAsync(db, Webhooks.WebhookEventNames.PackageCreated, repositoryId,
                Webhooks.WebhookData.Package(repo, input.Name, input.Version, package.Format), cancellationToken);
        }
        await db.SaveChangesAsync(cancellationToken);
        await storage.PublishAsync(content, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        var views = await PackageAccess.ViewsAsync(db.Set<Package>().AsNoTracking().Where(p => p.Id == package.Id), cancellationToken);
        return views[0];
    }

    /// <summary>
    /// 1.2 and 1.2.0 (or v1.2) are the same version to queries and ordering; two rows for it would make
    /// "which one" ambiguous, so a new version must differ from every stored one of that name.
    /// </summary>
    internal static async Task EnsureNoEquivalentVersionAsync(
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

    internal static async Task<bool> FileExistsAsync(
        AppDbContext db, int repositoryId, string name, string version, string filename, CancellationToken cancellationToken) =>
        await db.Set<PackageFile>().AnyAsync(f => f.Package!.RepositoryId == repositoryId && f.Package.Name == name
            && f.Package.Version == version && f.Filename == filename, cancellationToken);

    internal static string NormalizeContentType(string? contentType)
    {
        contentType = contentType?.Trim();
        return string.IsNullOrEmpty(contentType) || contentType.Length > PackageRules.ContentTypeMaxLength
            || contentType.Any(char.IsControl)
            ? PackageRules.DefaultContentType
            : contentType;
    }

    /// <summary>The format a stored file gets and what the format keeps about it.</summary>
    internal sealed record StoredKind(string Format, string? PackageMetadata, string? FileMetadata, bool OneFilePerVersion)
    {
        public static StoredKind Raw { get; } = new(PackageRules.RawFormat, null, null, false);
    }

    internal static ConflictException DuplicateFile(string name, string version, string filename) =>
        new("file", $"{name} {version} already has a file named '{filename}'.");
}
