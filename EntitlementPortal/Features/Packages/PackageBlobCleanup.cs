using EntitlementPortal.Data;
using Microsoft.EntityFrameworkCore;

namespace EntitlementPortal.Features.Packages;

/// <summary>Removes stored content that no package file uses any more, each blob under its own database lock.</summary>
public sealed class PackageBlobCleanup(IDbContextFactory<AppDbContext> dbFactory, PackageStorage storage, ILogger<PackageBlobCleanup> logger)
{
    /// <summary>After package rows went away (a package or a repository deleted): drop blobs nobody uses any more.</summary>
    public async Task RemoveUnreferencedAsync(IEnumerable<string> hashes)
    {
        foreach (var hash in hashes.Distinct())
        {
            await RemoveIfUnreferencedAsync(hash, CancellationToken.None);
        }
    }

    /// <summary>
    /// Checks for references and deletes the file while holding the blob's database lock, which uploads of the
    /// same content hold from before they publish until their row is committed: so the check sees every such
    /// row, and an upload that comes later publishes (re-creates) the file itself.
    /// </summary>
    public async Task RemoveIfUnreferencedAsync(string sha256, CancellationToken cancellationToken)
    {
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            await db.TakeLockAsync(DatabaseLock.PackageBlobs(sha256), cancellationToken);
            if (!await db.Set<PackageFile>().AnyAsync(f => f.Sha256 == sha256, cancellationToken))
            {
                await storage.DeleteAsync(sha256, cancellationToken);
            }
            await transaction.CommitAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is System.Data.Common.DbException or DbUpdateException or InvalidOperationException or IOException or Storage.BlobStoreUnavailableException)
        {
            // An orphaned blob costs disk space only; never mask the error that brought us here.
            logger.LogWarning(ex, "Could not check or remove blob {Sha256}", sha256);
        }
    }
}
