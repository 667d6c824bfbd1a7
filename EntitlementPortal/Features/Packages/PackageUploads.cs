using EntitlementPortal.Data;
using EntitlementPortal.Features.Packages.Query;
using EntitlementPortal.Features.Permissions;
using EntitlementPortal.Features.Shared;
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
    PackageFileSaving saving)
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
        contentType = PackageFileSaving.NormalizeContentType(contentType);

        using var pending = await storage.WriteAsync(content, progress, cancellationToken);
        if (pending.Size == 0)
        {
            throw new ValidationException([new ValidationFailure("file", $"'{file}' is empty; upload a file with content.")]);
        }
        return await saving.SaveAsync(actor, standings, repo, repositoryId, input, file, contentType, pending, PackageFileSaving.StoredKind.Raw, cancellationToken);
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
        return await saving.SaveAsync(actor, standings, repo, repositoryId, input, file, PackageFileSaving.NormalizeContentType(contentType), content, PackageFileSaving.StoredKind.Raw, cancellationToken);
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
        if (await PackageFileSaving.FileExistsAsync(db, repositoryId, input.Name, input.Version, file, cancellationToken))
        {
            throw PackageFileSaving.DuplicateFile(input.Name, input.Version, file);
        }
        await PackageFileSaving.EnsureNoEquivalentVersionAsync(db, repositoryId, input.Name, input.Version, cancellationToken);
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
        return new StagedFile(file, PackageFileSaving.NormalizeContentType(contentType), pending);
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
        return await saving.SaveAsync(actor, standings, repo, repositoryId, input, file, staged.ContentType, pending, PackageFileSaving.StoredKind.Raw, cancellationToken);
    }

    /// <summary>Drops staged content that will not be recorded (the request failed before its fields arrived).</summary>
    public static void DiscardStaged(StagedFile staged) => staged.Content.Dispose();
}

/// <summary>A file written and hashed, waiting for the package it belongs to before it is published.</summary>
public sealed record StagedFile(string Filename, string ContentType, PendingBlob Content);
