using EntitlementPortal.Data;
using EntitlementPortal.Features.Permissions;
using EntitlementPortal.Features.Repositories;
using EntitlementPortal.Features.Shared;
using Microsoft.EntityFrameworkCore;

namespace EntitlementPortal.Features.Packages;

/// <summary>
/// Who may do what with packages is <see cref="PermissionTable"/>'s: writers upload and change their own packages,
/// repository admins and administrators any package; token managers and account managers never change one.
/// </summary>
public sealed class PackageAccess(IDbContextFactory<AppDbContext> dbFactory, PermissionCheck permissions)
{
    /// <summary>The repository, once the actor's standings in it allow <paramref name="permission"/> (else 404/403).</summary>
    public async Task<(int Id, RepositoryStandings Standings)> EnsureAsync(
        Actor actor, string repo, Permission permission, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var repository = await db.Set<Repository>().AsNoTracking().FirstOrDefaultAsync(r => r.Slug == repo, cancellationToken)
            ?? throw new NotFoundException($"Repository '{repo}'");
        var standings = await permissions.InRepositoryAsync(actor, repository, cancellationToken);
        standings.Ensure(permission);
        return (repository.Id, standings);
    }

    /// <summary>The ids of the repositories in <paramref name="scope"/>, as a query to compose with others.</summary>
    public static IQueryable<int> RepositoriesIn(AppDbContext db, RepositoryScope scope)
    {
        var repositories = db.Set<Repository>().AsNoTracking();
        if (!scope.Everything)
        {
            var ids = scope.Ids.ToArray();
            var publicOnes = scope.PublicOnes;
            repositories = repositories.Where(r => (publicOnes && r.Visibility == RepositoryVisibility.Public) || ids.Contains(r.Id));
        }
        return repositories.Select(r => r.Id);
    }

    /// <summary>The views of the given package rows, files sorted by name.</summary>
    internal static async Task<List<PackageView>> ViewsAsync(IQueryable<Package> packages, CancellationToken cancellationToken)
    {
        var rows = await packages
            .Select(p => new
            {
                p.Id,
                Repo = p.Repository!.Slug,
                p.Name,
                p.Version,
                p.Tags,
                p.Format,
                p.UploadedByName,
                p.UploadedAt,
                Files = p.Files.OrderBy(f => f.Filename).Select(f => new PackageFileView(f.Filename, f.Size, f.Sha256)).ToList(),
            })
            .ToListAsync(cancellationToken);
        return rows.Select(p => new PackageView(p.Id, p.Name, p.Version, PackageTags.Split(p.Tags), p.Format, p.Files,
            p.UploadedByName, p.UploadedAt) { Repo = p.Repo }).ToList();
    }

    internal static string AuditId(string repo, string name, string version) => $"{repo}/{name}/{version}";
}
