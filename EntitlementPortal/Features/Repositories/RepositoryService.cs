using EntitlementPortal.Data;
using EntitlementPortal.Features.Audit;
using EntitlementPortal.Features.Packages;
using EntitlementPortal.Features.Permissions;
using EntitlementPortal.Features.Shared;
using EntitlementPortal.Features.Tokens;
using EntitlementPortal.Identity;
using FluentValidation;
using Microsoft.EntityFrameworkCore;

namespace EntitlementPortal.Features.Repositories;

/// <summary>Repositories: the one place that reads and changes them, for the pages and the API alike.</summary>
public sealed class RepositoryService(
    IDbContextFactory<AppDbContext> dbFactory,
    IValidator<RepositoryInput> validator,
    AuditTrail audit,
    Webhooks.WebhookEvents webhooks,
    PackageBlobCleanup blobs,
    PermissionCheck permissions,
    TimeProvider clock)
{
    public async Task<PagedResult<RepositorySummary>> ListAsync(
        Actor actor, PageRequest page, RepositoryVisibility? visibility = null, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var repositories = await VisibleAsync(db, actor, cancellationToken);
        if (visibility is { } only)
        {
            repositories = repositories.Where(r => r.Visibility == only);
        }
        if (page.SearchTerm is { } term)
        {
            var pattern = TextSearch.ContainsPattern(term);
            repositories = repositories.Where(r =>
                EF.Functions.Like(r.Slug, pattern, TextSearch.Escape) || EF.Functions.Like(r.Name, pattern, TextSearch.Escape));
        }

        var total = await repositories.CountAsync(cancellationToken);
        var items = await Summaries(db, Sort(repositories, page).Skip(page.Skip).Take(page.SafePageSize))
            .ToListAsync(cancellationToken);
        return new PagedResult<RepositorySummary>(items, total);
    }

    public async Task<RepositorySummary> GetAsync(Actor actor, string slug, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var visible = await VisibleAsync(db, actor, cancellationToken);
        return await Summaries(db, visible.Where(r => r.Slug == slug)).FirstOrDefaultAsync(cancellationToken)
            ?? throw new NotFoundException($"Repository '{slug}'");
    }

    public async Task<RepositorySummary> CreateAsync(Actor actor, RepositoryInput input, CancellationToken cancellationToken = default)
    {
        PermissionCheck.Ensure(actor, Permission.CreateRepository);
        Normalize(input);
        await validator.EnsureValidAsync(input, cancellationToken);

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (await db.Set<Repository>().AnyAsync(r => r.Slug == input.Slug, cancellationToken))
        {
            throw DuplicateSlug(input.Slug);
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var repository = new Repository
        {
            Slug = input.Slug,
            Name = input.Name,
            Description = input.Description,
            Eula = input.Eula,
            Visibility = input.Visibility,
            UserTokensEnabled = input.UserTokensEnabled,
            CreatedAt = now,
            UpdatedAt = now,
        };
        db.Add(repository);
        audit.Record(db, actor, AuditActions.Create, AuditEntityTypes.Repository, repository.Slug,
            $"Created {repository.Visibility.ToString().ToLowerInvariant()} repository '{repository.Name}' ({repository.Slug}).");
        await SaveNewAsync(db, input.Slug, cancellationToken);
        return await GetAsync(actor, repository.Slug, cancellationToken);
    }

    /// <summary>
    /// Changes a repository. Making a private repository public while it has active tokens throws
    /// <see cref="ConfirmationRequiredException"/> unless <paramref name="confirmDisablingTokens"/> is set; then
    /// the tokens are disabled in the same transaction.
    /// </summary>
    public Task<RepositorySummary> UpdateAsync(
        Actor actor, string slug, RepositoryInput input, CancellationToken cancellationToken = default) =>
        UpdateAsync(actor, slug, input, confirmDisablingTokens: false, cancellationToken);

    /// <inheritdoc cref="UpdateAsync(Actor, string, RepositoryInput, CancellationToken)"/>
    public async Task<RepositorySummary> UpdateAsync(
        Actor actor, string slug, RepositoryInput input, bool confirmDisablingTokens, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var repository = await db.Set<Repository>().FirstOrDefaultAsync(r => r.Slug == slug, cancellationToken)
            ?? throw new NotFoundException($"Repository '{slug}'");
        (await permissions.InRepositoryAsync(actor, repository, cancellationToken)).Ensure(Permission.EditRepository);
        Normalize(input);
        await validator.EnsureValidAsync(input, cancellationToken);
        if (input.Slug != repository.Slug)
        {
            // Customers' scripts have the slug in their download URLs; renaming it would break them all.
            throw new ValidationException([new FluentValidation.Results.ValidationFailure(
                nameof(RepositoryInput.Slug), "The slug of an existing repository cannot be changed.")]);
        }

        var disabledTokens = 0;
        if (repository.Visibility == RepositoryVisibility.Private && input.Visibility == RepositoryVisibility.Public)
        {
            var active = await TokensOfRepository.CountActiveAsync(db, repository.Id, cancellationToken);
            if (active > 0 && !confirmDisablingTokens)
            {
                throw new ConfirmationRequiredException(nameof(RepositoryInput.Visibility),
                    $"'{slug}' has {active} active token{(active == 1 ? "" : "s")}. A public repository serves everyone without tokens, "
                    + "so making it public disables them. Confirm to go ahead.");
            }
            disabledTokens = await TokensOfRepository.DisableAllAsync(db, audit, webhooks, actor, repository.Id, clock.GetUtcNow().UtcDateTime, cancellationToken);
        }

        repository.Name = input.Name;
        repository.Description = input.Description;
        repository.Eula = input.Eula;
        repository.Visibility = input.Visibility;
        repository.UserTokensEnabled = input.UserTokensEnabled;

        var changes = AuditTrail.DescribeChanges(db.Entry(repository));
        if (db.ChangeTracker.HasChanges())
        {
            repository.UpdatedAt = clock.GetUtcNow().UtcDateTime;
            audit.Record(db, actor, AuditActions.Update, AuditEntityTypes.Repository, repository.Slug,
                disabledTokens == 0 ? changes : $"{changes}; {TokenDisplay.Count(disabledTokens, "token")} disabled");
            await db.SaveChangesAsync(cancellationToken);
        }
        return await GetAsync(actor, slug, cancellationToken);
    }

    public Task DeleteAsync(Actor actor, string slug, CancellationToken cancellationToken = default) =>
        DeleteAsync(actor, slug, deletePackages: false, cancellationToken);

    /// <summary>
    /// Deletes a repository. While it still holds packages this is refused (<see cref="ConfirmationRequiredException"/>
    /// on "packages") unless <paramref name="deletePackages"/> says to delete them too; their files go with them.
    /// </summary>
    public async Task DeleteAsync(Actor actor, string slug, bool deletePackages, CancellationToken cancellationToken = default)
    {
        PermissionCheck.Ensure(actor, Permission.DeleteRepository);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var repository = await db.Set<Repository>().FirstOrDefaultAsync(r => r.Slug == slug, cancellationToken)
            ?? throw new NotFoundException($"Repository '{slug}'");

        var packageCount = await db.Set<Package>().CountAsync(p => p.RepositoryId == repository.Id, cancellationToken);
        if (packageCount > 0 && !deletePackages)
        {
            throw new ConfirmationRequiredException("packages",
                $"'{slug}' still holds {packageCount} package version{(packageCount == 1 ? "" : "s")}. Delete them together with the repository, or delete them first.", "deletePackages");
        }
        var hashes = await db.Set<PackageFile>().Where(f => f.Package!.RepositoryId == repository.Id).Select(f => f.Sha256).ToListAsync(cancellationToken);
        var tokenCount = await db.Set<EntitlementToken>().CountAsync(t => t.RepositoryId == repository.Id, cancellationToken);
        db.Remove(repository);
        var also = new List<string>();
        if (packageCount > 0)
        {
            also.Add($"{packageCount} package version{(packageCount == 1 ? "" : "s")}");
        }
        if (tokenCount > 0)
        {
            also.Add($"{tokenCount} token{(tokenCount == 1 ? "" : "s")}");
        }
        audit.Record(db, actor, AuditActions.Delete, AuditEntityTypes.Repository, repository.Slug,
            $"Deleted repository '{repository.Name}' ({repository.Slug})"
            + (also.Count == 0 ? "." : $" with its {string.Join(" and ", also)}; earlier audit entries stay."));
        await db.SaveChangesAsync(cancellationToken);
        await blobs.RemoveUnreferencedAsync(hashes);
    }

    private async Task<IQueryable<Repository>> VisibleAsync(AppDbContext db, Actor actor, CancellationToken cancellationToken)
    {
        var repositories = db.Set<Repository>().AsNoTracking();
        var scope = await permissions.ScopeAsync(actor, Permission.ViewRepository, cancellationToken);
        if (scope.Everything)
        {
            return repositories;
        }
        var ids = scope.Ids.ToArray();
        var publicOnes = scope.PublicOnes;
        return repositories.Where(r => (publicOnes && r.Visibility == RepositoryVisibility.Public) || ids.Contains(r.Id));
    }

    private static IQueryable<Repository> Sort(IQueryable<Repository> repositories, PageRequest page) =>
        page.SortBy?.ToLowerInvariant() switch
        {
            "name" => page.Descending ? repositories.OrderByDescending(r => r.Name) : repositories.OrderBy(r => r.Name),
            "visibility" => page.Descending ? repositories.OrderByDescending(r => r.Visibility) : repositories.OrderBy(r => r.Visibility),
            "createdat" => page.Descending ? repositories.OrderByDescending(r => r.Id) : repositories.OrderBy(r => r.Id),
            "updatedat" => page.Descending ? repositories.OrderByDescending(r => r.UpdatedAt) : repositories.OrderBy(r => r.UpdatedAt),
            _ => page.Descending ? repositories.OrderByDescending(r => r.Slug) : repositories.OrderBy(r => r.Slug),
        };

    private static IQueryable<RepositorySummary> Summaries(AppDbContext db, IQueryable<Repository> repositories) =>
        repositories.Select(r => new RepositorySummary(
            r.Id, r.Slug, r.Name, r.Description, r.Visibility, r.UserTokensEnabled,
            db.Set<Packages.Package>().Count(p => p.RepositoryId == r.Id),
            db.Set<EntitlementToken>().Count(t => t.RepositoryId == r.Id && t.IsActive && !t.IsDeleted && t.Kind == TokenKind.Standard),
            r.CreatedAt, r.UpdatedAt) { Eula = r.Eula });

    private static void Normalize(RepositoryInput input)
    {
        input.Slug = (input.Slug ?? "").Trim();
        input.Name = (input.Name ?? "").Trim();
        input.Description = string.IsNullOrWhiteSpace(input.Description) ? null : input.Description.Trim();
        input.Eula = string.IsNullOrWhiteSpace(input.Eula) ? null : input.Eula.Trim();
    }

    private static ConflictException DuplicateSlug(string slug) =>
        new(nameof(RepositoryInput.Slug), $"A repository with the slug '{slug}' already exists.");

    private static async Task SaveNewAsync(AppDbContext db, string slug, CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (DatabaseErrors.IsUniqueViolation(ex))
        {
            // Two creates racing past the AnyAsync check: the unique index is the real arbiter.
            throw DuplicateSlug(slug);
        }
    }
}
