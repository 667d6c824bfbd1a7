using EntitlementPortal.Data;
using EntitlementPortal.Features.Audit;
using EntitlementPortal.Features.Permissions;
using EntitlementPortal.Features.Shared;
using EntitlementPortal.Features.Teams;
using EntitlementPortal.Identity;
using FluentValidation;
using Microsoft.EntityFrameworkCore;

namespace EntitlementPortal.Features.Repositories.Privileges;

/// <summary>
/// The direct grants on a repository: list, grant or change, revoke, for users and teams. Allowed to
/// administrators and to the repository's own admins (<see cref="Permission.ManageMembers"/>).
/// </summary>
public sealed class RepositoryPrivilegeService(
    IDbContextFactory<AppDbContext> dbFactory,
    IValidator<PrivilegeInput> validator,
    PermissionCheck permissions,
    AuditTrail audit,
    TimeProvider clock)
{
    /// <summary>Whether the actor may manage this repository's members (the page shows the controls only then).</summary>
    public async Task<bool> CanManageAsync(Actor actor, string repo, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var repository = await FindRepositoryAsync(db, repo, cancellationToken);
        return (await permissions.InRepositoryAsync(actor, repository, cancellationToken)).Allows(Permission.ManageMembers);
    }

    public async Task<PagedResult<RepositoryGrantView>> ListAsync(
        Actor actor, string repo, PageRequest page, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var repository = await EnsureCanManageAsync(db, actor, repo, cancellationToken);
        var grants = db.Set<RepositoryGrant>().AsNoTracking().Where(g => g.RepositoryId == repository.Id);
        var total = await grants.CountAsync(cancellationToken);
        var items = await grants
            .OrderBy(g => g.TeamId != null).ThenBy(g => g.UserId != null ? g.User!.Email : g.Team!.Slug).ThenBy(g => g.Id)
            .Skip(page.Skip).Take(page.SafePageSize)
            .Select(g => new RepositoryGrantView(
                g.UserId, g.TeamId != null ? g.Team!.Slug : null, g.Privilege,
                (g.UserId != null ? g.User!.Email : g.Team!.Name) ?? ""))
            .ToListAsync(cancellationToken);
        return new PagedResult<RepositoryGrantView>(items, total);
    }

    /// <summary>Grants a user (by id or e-mail) a privilege on the repository, or changes the one they have.</summary>
    public async Task<RepositoryGrantView> SetUserPrivilegeAsync(
        Actor actor, string repo, string user, PrivilegeInput input, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var repository = await EnsureCanManageAsync(db, actor, repo, cancellationToken);
        var privilege = await ValidatedAsync(input, cancellationToken);
        var subject = await UserLookup.FindAsync(db, user, cancellationToken);
        var grant = await db.Set<RepositoryGrant>().FirstOrDefaultAsync(
            g => g.RepositoryId == repository.Id && g.UserId == subject.Id, cancellationToken);
        await SetAsync(db, actor, repository, grant, privilege, $"user {UserLookup.Describe(subject)}",
            () => new RepositoryGrant { RepositoryId = repository.Id, UserId = subject.Id }, cancellationToken);
        return new RepositoryGrantView(subject.Id, null, privilege, subject.Email ?? "");
    }

    /// <summary>Grants a team (by slug) a privilege on the repository, or changes the one it has.</summary>
    public async Task<RepositoryGrantView> SetTeamPrivilegeAsync(
        Actor actor, string repo, string team, PrivilegeInput input, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var repository = await EnsureCanManageAsync(db, actor, repo, cancellationToken);
        var privilege = await ValidatedAsync(input, cancellationToken);
        var subject = await FindTeamAsync(db, team, cancellationToken);
        var grant = await db.Set<RepositoryGrant>().FirstOrDefaultAsync(
            g => g.RepositoryId == repository.Id && g.TeamId == subject.Id, cancellationToken);
        await SetAsync(db, actor, repository, grant, privilege, $"team '{subject.Slug}'",
            () => new RepositoryGrant { RepositoryId = repository.Id, TeamId = subject.Id }, cancellationToken);
        return new RepositoryGrantView(null, subject.Slug, privilege, subject.Name);
    }

    /// <summary>Removes a user's direct grant; a user without one is left as is (not an error).</summary>
    public async Task RemoveUserPrivilegeAsync(Actor actor, string repo, string user, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var repository = await EnsureCanManageAsync(db, actor, repo, cancellationToken);
        var subject = await UserLookup.FindAsync(db, user, cancellationToken);
        var grant = await db.Set<RepositoryGrant>().FirstOrDefaultAsync(
            g => g.RepositoryId == repository.Id && g.UserId == subject.Id, cancellationToken);
        await RemoveAsync(db, actor, repository, grant, $"user {UserLookup.Describe(subject)}", cancellationToken);
    }

    /// <summary>Removes a team's grant; a team without one is left as is (not an error).</summary>
    public async Task RemoveTeamPrivilegeAsync(Actor actor, string repo, string team, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var repository = await EnsureCanManageAsync(db, actor, repo, cancellationToken);
        var subject = await FindTeamAsync(db, team, cancellationToken);
        var grant = await db.Set<RepositoryGrant>().FirstOrDefaultAsync(
            g => g.RepositoryId == repository.Id && g.TeamId == subject.Id, cancellationToken);
        await RemoveAsync(db, actor, repository, grant, $"team '{subject.Slug}'", cancellationToken);
    }

    private async Task SetAsync(AppDbContext db, Actor actor, Repository repository, RepositoryGrant? grant,
        RepositoryPrivilege privilege, string who, Func<RepositoryGrant> create, CancellationToken cancellationToken)
    {
        var word = RepositoryPrivileges.Name(privilege);
        if (grant is null)
        {
            grant = create();
            db.Add(grant);
            audit.Record(db, actor, AuditActions.Grant, AuditEntityTypes.Repository, repository.Slug,
                $"Granted {word} on '{repository.Slug}' to {who}.");
        }
        else if (grant.Privilege != privilege)
        {
            audit.Record(db, actor, AuditActions.Grant, AuditEntityTypes.Repository, repository.Slug,
                $"Changed {who} on '{repository.Slug}' from {RepositoryPrivileges.Name(grant.Privilege)} to {word}.");
        }
        else
        {
            return;
        }
        grant.Privilege = privilege;
        grant.GrantedAt = clock.GetUtcNow().UtcDateTime;
        grant.GrantedBy = actor.Name;
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (DatabaseErrors.IsUniqueViolation(ex))
        {
            // Another admin granted the same subject a moment ago; ask again rather than overwrite blindly.
            throw new ConflictException(nameof(PrivilegeInput.Privilege),
                $"{who} was given a privilege on '{repository.Slug}' at the same moment by someone else; reload and try again.");
        }
    }

    private async Task RemoveAsync(AppDbContext db, Actor actor, Repository repository, RepositoryGrant? grant, string who,
        CancellationToken cancellationToken)
    {
        if (grant is null)
        {
            return;
        }
        db.Remove(grant);
        audit.Record(db, actor, AuditActions.Revoke, AuditEntityTypes.Repository, repository.Slug,
            $"Revoked {RepositoryPrivileges.Name(grant.Privilege)} on '{repository.Slug}' from {who}.");
        await db.SaveChangesAsync(cancellationToken);
    }

    private async Task<RepositoryPrivilege> ValidatedAsync(PrivilegeInput input, CancellationToken cancellationToken)
    {
        await validator.EnsureValidAsync(input, cancellationToken);
        return RepositoryPrivileges.TryParse(input.Privilege, out var privilege)
            ? privilege
            : throw new InvalidOperationException("The privilege validator let an unknown privilege through.");
    }

    /// <summary>
    /// The repository, if the actor may manage its members. Someone who may not even see it (a private
    /// repository without any privilege) gets "not found", as everywhere else; someone who can see it, 403.
    /// </summary>
    private async Task<Repository> EnsureCanManageAsync(AppDbContext db, Actor actor, string repo, CancellationToken cancellationToken)
    {
        var repository = await FindRepositoryAsync(db, repo, cancellationToken);
        (await permissions.InRepositoryAsync(actor, repository, cancellationToken)).Ensure(Permission.ManageMembers);
        return repository;
    }

    private static async Task<Repository> FindRepositoryAsync(AppDbContext db, string repo, CancellationToken cancellationToken) =>
        await db.Set<Repository>().AsNoTracking().FirstOrDefaultAsync(r => r.Slug == repo, cancellationToken)
        ?? throw new NotFoundException($"Repository '{repo}'");

    private static async Task<Team> FindTeamAsync(AppDbContext db, string team, CancellationToken cancellationToken) =>
        await db.Set<Team>().AsNoTracking().FirstOrDefaultAsync(t => t.Slug == team, cancellationToken)
        ?? throw new NotFoundException($"Team '{team}'");
}
