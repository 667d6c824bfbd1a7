using EntitlementPortal.Data;
using EntitlementPortal.Features.Packages.Query;
using EntitlementPortal.Features.Permissions;
using EntitlementPortal.Features.Repositories;
using EntitlementPortal.Features.Shared;
using Microsoft.EntityFrameworkCore;

namespace EntitlementPortal.Features.Packages;

/// <summary>Reading package versions and their files, for the pages and the API, and what the actor may do with them.</summary>
public sealed class PackageQueries(IDbContextFactory<AppDbContext> dbFactory, PackageAccess access, PermissionCheck permissions)
{
    /// <summary>
    /// Package versions of one repository (or of every repository the actor can see when <paramref name="repo"/>
    /// is null), newest name/version first within a name. <paramref name="query"/> keeps the versions that match
    /// as a whole or through any of their files.
    /// </summary>
    public async Task<PagedResult<PackageView>> ListAsync(
        Actor actor, string? repo, PageRequest page, PackageQuery? query = null, CancellationToken cancellationToken = default)
    {
        int? repositoryId = repo is null ? null : (await access.EnsureAsync(actor, repo, Permission.ViewPackages, cancellationToken)).Id;
        var scope = repositoryId is null ? await permissions.ScopeAsync(actor, Permission.ViewPackages, cancellationToken) : null;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var packages = db.Set<Package>().AsNoTracking();
        packages = repositoryId is { } only
            ? packages.Where(p => p.RepositoryId == only)
            : packages.Where(p => PackageAccess.RepositoriesIn(db, scope!).Contains(p.RepositoryId));
        if (page.SearchTerm is { } term)
        {
            var pattern = TextSearch.ContainsPattern(term);
            packages = packages.Where(p => EF.Functions.Like(p.Name, pattern, TextSearch.Escape)
                || EF.Functions.Like(p.Version, pattern, TextSearch.Escape));
        }

        // Versions order by PackageVersion (1.10 after 1.9), which SQL cannot do: sort the light rows here,
        // then load the page's files only.
        var needFiles = query is { MatchesEverything: false };
        var rows = await packages
            .Select(p => new Row(p.Id, p.Repository!.Slug, p.Name, p.Version, p.Tags, p.Format, p.UploadedAt,
                needFiles ? p.Files.Select(f => f.Filename).ToList() : null))
            .ToListAsync(cancellationToken);
        IEnumerable<Row> matching = rows;
        if (query is { MatchesEverything: false })
        {
            matching = rows.Where(r => Matches(query, r));
        }
        var sorted = Sort(matching, page).ToList();
        var pageIds = sorted.Skip(page.Skip).Take(page.SafePageSize).Select(r => r.Id).ToList();

        var views = await PackageAccess.ViewsAsync(db.Set<Package>().AsNoTracking().Where(p => pageIds.Contains(p.Id)), cancellationToken);
        var byId = views.ToDictionary(v => v.Id);
        return new PagedResult<PackageView>(pageIds.Where(byId.ContainsKey).Select(id => byId[id]).ToList(), sorted.Count);
    }

    public async Task<PackageView> GetAsync(Actor actor, string repo, int id, CancellationToken cancellationToken = default)
    {
        var (repositoryId, _) = await access.EnsureAsync(actor, repo, Permission.ViewPackages, cancellationToken);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var views = await PackageAccess.ViewsAsync(
            db.Set<Package>().AsNoTracking().Where(p => p.Id == id && p.RepositoryId == repositoryId), cancellationToken);
        return views.FirstOrDefault() ?? throw new NotFoundException($"Package {id} in '{repo}'");
    }

    /// <summary>The repositories the actor may upload to, by slug (for the upload button and dialog).</summary>
    public async Task<IReadOnlyList<string>> UploadableRepositoriesAsync(Actor actor, CancellationToken cancellationToken = default)
    {
        var scope = await permissions.ScopeAsync(actor, Permission.UploadPackage, cancellationToken);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Set<Repository>().AsNoTracking().Where(r => PackageAccess.RepositoriesIn(db, scope).Contains(r.Id))
            .OrderBy(r => r.Slug).Select(r => r.Slug).ToListAsync(cancellationToken);
    }

    /// <summary>Whether the actor may change or delete this package (for showing buttons; the change checks again).</summary>
    public async Task<bool> MayChangeAsync(Actor actor, string repo, int id, CancellationToken cancellationToken = default)
    {
        var (repositoryId, standings) = await access.EnsureAsync(actor, repo, Permission.ViewPackages, cancellationToken);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var uploader = await db.Set<Package>().AsNoTracking().Where(p => p.Id == id && p.RepositoryId == repositoryId)
            .Select(p => new { p.UploadedById }).FirstOrDefaultAsync(cancellationToken);
        return uploader is not null && standings.AllowsOnPackage(Permission.ChangePackage, uploader.UploadedById);
    }

    private static bool Matches(PackageQuery query, Row row)
    {
        var tags = PackageTags.Split(row.Tags);
        return query.Matches(new PackageFacts(row.Name, row.Version, null, tags, row.Format))
            || (row.Filenames ?? []).Any(f => query.Matches(new PackageFacts(row.Name, row.Version, f, tags, row.Format)));
    }

    private static IEnumerable<Row> Sort(IEnumerable<Row> rows, PageRequest page) =>
        page.SortBy?.ToLowerInvariant() switch
        {
            "uploadedat" => page.Descending ? rows.OrderByDescending(r => r.UploadedAt) : rows.OrderBy(r => r.UploadedAt),
            "repo" => page.Descending
                ? rows.OrderByDescending(r => r.Repo, StringComparer.Ordinal).ThenBy(r => r.Name, StringComparer.Ordinal)
                : rows.OrderBy(r => r.Repo, StringComparer.Ordinal).ThenBy(r => r.Name, StringComparer.Ordinal),
            // By name, and within a name the newest version first (unless descending flips the names).
            _ => (page.Descending
                    ? rows.OrderByDescending(r => r.Name, StringComparer.Ordinal)
                    : rows.OrderBy(r => r.Name, StringComparer.Ordinal))
                .ThenByDescending(r => PackageVersion.Parse(r.Version))
                .ThenBy(r => r.Repo, StringComparer.Ordinal),
        };

    private sealed record Row(int Id, string Repo, string Name, string Version, string Tags, string Format, DateTime UploadedAt,
        List<string>? Filenames);
}
