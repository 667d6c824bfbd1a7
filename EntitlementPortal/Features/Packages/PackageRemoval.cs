using EntitlementPortal.Data;
using EntitlementPortal.Features.Audit;
using EntitlementPortal.Features.Permissions;
using EntitlementPortal.Features.Shared;
using Microsoft.EntityFrameworkCore;

namespace EntitlementPortal.Features.Packages;

/// <summary>Deleting a package version: its rows first, then its content when no other file uses it.</summary>
public sealed class PackageRemoval(
    IDbContextFactory<AppDbContext> dbFactory, PackageAccess access, PackageBlobCleanup blobs, AuditTrail audit, Webhooks.WebhookEvents webhooks)
{
    public async Task DeleteAsync(Actor actor, string repo, int id, CancellationToken cancellationToken = default)
    {
        var (repositoryId, standings) = await access.EnsureAsync(actor, repo, Permission.ViewPackages, cancellationToken);
        List<string> hashes;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            var package = await db.Set<Package>().Include(p => p.Files)
                .FirstOrDefaultAsync(p => p.Id == id && p.RepositoryId == repositoryId, cancellationToken)
                ?? throw new NotFoundException($"Package {id} in '{repo}'");
            standings.Ensure(Permission.ChangePackage, package.UploadedById);
            hashes = package.Files.Select(f => f.Sha256).Distinct().ToList();

            db.Remove(package);
            audit.Record(db, actor, AuditActions.Delete, AuditEntityTypes.Package, PackageAccess.AuditId(repo, package.Name, package.Version),
                $"Deleted package {package.Name} {package.Version} ({package.Files.Count} file{(package.Files.Count == 1 ? "" : "s")}) from '{repo}'.");
            await webhooks.RaiseAsync(db, Webhooks.WebhookEventNames.PackageDeleted, repositoryId,
                Webhooks.WebhookData.Package(repo, package.Name, package.Version, package.Format), cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
        }
        // After the rows are gone: a blob another file still uses stays.
        await blobs.RemoveUnreferencedAsync(hashes);
    }
}
