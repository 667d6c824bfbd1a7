using EntitlementPortal.Data;
using EntitlementPortal.Features.Audit;
using EntitlementPortal.Features.Packages.Query;
using EntitlementPortal.Features.Permissions;
using EntitlementPortal.Features.Repositories;
using EntitlementPortal.Features.Shared;
using FluentValidation;
using FluentValidation.Results;
using Microsoft.EntityFrameworkCore;

namespace EntitlementPortal.Features.Packages;

/// <summary>
/// Package versions and their files: the one place that reads and changes them, for the pages and the API.
/// </summary>
/// <remarks>
/// Who may do what is <see cref="PermissionTable"/>'s: writers upload and change their own packages, repository
/// admins and administrators any package; token managers and account managers never change one.
/// </remarks>
public sealed partial class PackageService(
    IDbContextFactory<AppDbContext> dbFactory,
    PackageStorage storage,
    PermissionCheck permissions,
    AuditTrail audit,
    TimeProvider clock,
    ILogger<PackageService> logger)
{
    /// <summary>
    /// Package versions of one repository (or of every repository the actor can see when <paramref name="repo"/>
    /// is null), newest name/version first within a name. <paramref name="query"/> keeps the versions that match
    /// as a whole or through any of their files.
    /// </summary>
    public async Task<PagedResult<PackageView>> ListAsync(
        Actor actor, string? repo, PageRequest page, PackageQuery? query = null, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var packages = db.Set<Package>().AsNoTracking();
        if (repo is not null)
        {
            var (repositoryId, _) = await RepositoryForAsync(db, actor, repo, Permission.ViewPackages, cancellationToken);
            packages = packages.Where(p => p.RepositoryId == repositoryId);
        }
        else
        {
            var scope = await permissions.ScopeAsync(actor, Permission.ViewPackages, cancellationToken);
            packages = packages.Where(p => VisibleRepositories(db, scope).Contains(p.RepositoryId));
        }
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

        var views = await Views(db.Set<Package>().AsNoTracking().Where(p => pageIds.Contains(p.Id)), cancellationToken);
        var byId = views.ToDictionary(v => v.Id);
        return new PagedResult<PackageView>(pageIds.Where(byId.ContainsKey).Select(id => byId[id]).ToList(), sorted.Count);
    }

    public async Task<PackageView> GetAsync(Actor actor, string repo, int id, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var (repositoryId, _) = await RepositoryForAsync(db, actor, repo, Permission.ViewPackages, cancellationToken);
        var views = await Views(db.Set<Package>().AsNoTracking().Where(p => p.Id == id && p.RepositoryId == repositoryId), cancellationToken);
        return views.FirstOrDefault() ?? throw new NotFoundException($"Package {id} in '{repo}'");
    }

    /// <summary>The largest file an upload may have (Storage:MaxUploadBytes).</summary>
    public long MaxUploadBytes => storage.MaxUploadBytes;

    /// <summary>The repositories the actor may upload to, by slug (for the upload button and dialog).</summary>
    public async Task<IReadOnlyList<string>> UploadableRepositoriesAsync(Actor actor, CancellationToken cancellationToken = default)
    {
        var scope = await permissions.ScopeAsync(actor, Permission.UploadPackage, cancellationToken);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Set<Repository>().AsNoTracking().Where(r => VisibleRepositories(db, scope).Contains(r.Id))
            .OrderBy(r => r.Slug).Select(r => r.Slug).ToListAsync(cancellationToken);
    }

    /// <summary>Whether the actor may change or delete this package (for showing buttons; the change checks again).</summary>
    public async Task<bool> MayChangeAsync(Actor actor, string repo, int id, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var (repositoryId, standings) = await RepositoryForAsync(db, actor, repo, Permission.ViewPackages, cancellationToken);
        var uploader = await db.Set<Package>().AsNoTracking().Where(p => p.Id == id && p.RepositoryId == repositoryId)
            .Select(p => new { p.UploadedById }).FirstOrDefaultAsync(cancellationToken);
        return uploader is not null && standings.AllowsOnPackage(Permission.ChangePackage, uploader.UploadedById);
    }

    /// <summary>The repository, once the actor's standings in it allow <paramref name="permission"/>.</summary>
    private async Task<(int Id, RepositoryStandings Standings)> RepositoryForAsync(
        AppDbContext db, Actor actor, string repo, Permission permission, CancellationToken cancellationToken)
    {
        var repository = await db.Set<Repository>().AsNoTracking().FirstOrDefaultAsync(r => r.Slug == repo, cancellationToken)
            ?? throw new NotFoundException($"Repository '{repo}'");
        var standings = await permissions.InRepositoryAsync(actor, repository, cancellationToken);
        standings.Ensure(permission);
        return (repository.Id, standings);
    }

    private static IQueryable<int> VisibleRepositories(AppDbContext db, RepositoryScope scope)
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

    private static async Task<List<PackageView>> Views(IQueryable<Package> packages, CancellationToken cancellationToken)
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

    private static string NormalizeContentType(string? contentType)
    {
        contentType = contentType?.Trim();
        return string.IsNullOrEmpty(contentType) || contentType.Length > PackageRules.ContentTypeMaxLength
            || contentType.Any(char.IsControl)
            ? PackageRules.DefaultContentType
            : contentType;
    }

    private static ConflictException DuplicateFile(string name, string version, string filename) =>
        new("file", $"{name} {version} already has a file named '{filename}'.");

    private static string AuditId(string repo, string name, string version) => $"{repo}/{name}/{version}";

    private sealed record Row(int Id, string Repo, string Name, string Version, string Tags, string Format, DateTime UploadedAt,
        List<string>? Filenames);
}
