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
public sealed class PackageService(
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
        EnsureCanChange(actor);
        var input = PackageRules.Validate(name, version, tags);
        var file = PackageFilename.Sanitize(filename);
        contentType = NormalizeContentType(contentType);

        int repositoryId;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            repositoryId = await RepositoryIdAsync(db, actor, repo, cancellationToken);
            // Refuse before reading a possibly huge body; the unique index settles races later.
            if (await FileExistsAsync(db, repositoryId, input.Name, input.Version, file, cancellationToken))
            {
                throw DuplicateFile(input.Name, input.Version, file);
            }
            await EnsureNoEquivalentVersionAsync(db, repositoryId, input.Name, input.Version, cancellationToken);
        }

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
