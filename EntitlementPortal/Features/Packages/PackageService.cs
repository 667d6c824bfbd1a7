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

/// <summary>
/// Package versions and their files: the one place that reads and changes them, for the pages and the API.
/// </summary>
/// <remarks>
/// Who may change packages: administrators, any package. Repository <c>Write</c> (own packages) and repository
/// admins (any package in their repository) arrive with repository membership; until then every other role
/// reads only, and a token manager never uploads or deletes packages.
/// </remarks>
public sealed partial class PackageService(
    IDbContextFactory<AppDbContext> dbFactory,
    PackageStorage storage,
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
        var packages = db.Set<Package>().AsNoTracking().Where(p => VisibleRepositories(db, actor).Contains(p.RepositoryId));
        if (repo is not null)
        {
            var repositoryId = await RepositoryIdAsync(db, actor, repo, cancellationToken);
            packages = packages.Where(p => p.RepositoryId == repositoryId);
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
        var repositoryId = await RepositoryIdAsync(db, actor, repo, cancellationToken);
        var views = await Views(db.Set<Package>().AsNoTracking().Where(p => p.Id == id && p.RepositoryId == repositoryId), cancellationToken);
        return views.FirstOrDefault() ?? throw new NotFoundException($"Package {id} in '{repo}'");
    }

    /// <summary>The largest file an upload may have (Storage:MaxUploadBytes).</summary>
    public long MaxUploadBytes => storage.MaxUploadBytes;

    /// <summary>Whether the actor may upload to and delete packages of the repository (for showing buttons).</summary>
    public static bool CanChange(Actor actor) => actor.IsAdministrator;

    private static async Task<int> RepositoryIdAsync(AppDbContext db, Actor actor, string repo, CancellationToken cancellationToken)
    {
        var ids = await db.Set<Repository>().AsNoTracking()
            .Where(r => r.Slug == repo && VisibleRepositories(db, actor).Contains(r.Id))
            .Select(r => (int?)r.Id).FirstOrDefaultAsync(cancellationToken);
        return ids ?? throw new NotFoundException($"Repository '{repo}'");
    }

    // The same rule as the repository list: staff see every repository, anyone else only public ones.
    private static IQueryable<int> VisibleRepositories(AppDbContext db, Actor actor)
    {
        var repositories = db.Set<Repository>().AsNoTracking();
        if (!actor.IsInAnyRole(Roles.Administrator, Roles.AccountManager, Roles.TokenManager))
        {
            repositories = repositories.Where(r => r.Visibility == RepositoryVisibility.Public);
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

    private static void EnsureCanChange(Actor actor)
    {
        if (!CanChange(actor))
        {
            throw new ForbiddenException("Only administrators can upload or delete packages.");
        }
    }

    private static ConflictException DuplicateFile(string name, string version, string filename) =>
        new("file", $"{name} {version} already has a file named '{filename}'.");

    private static string AuditId(string repo, string name, string version) => $"{repo}/{name}/{version}";

    private sealed record Row(int Id, string Repo, string Name, string Version, string Tags, string Format, DateTime UploadedAt,
        List<string>? Filenames);
}
