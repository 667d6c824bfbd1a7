using EntitlementPortal.Data;
using EntitlementPortal.Features.Shared;
using EntitlementPortal.Features.Teams;
using EntitlementPortal.Identity;
using Microsoft.EntityFrameworkCore;

namespace EntitlementPortal.Features.Repositories.Privileges;

/// <summary>The repositories a user holds a privilege on: everything, or these ids.</summary>
public sealed record ReadableRepositories(bool Everything, IReadOnlySet<int> Ids)
{
    public static ReadableRepositories None { get; } = new(false, new HashSet<int>());

    public static ReadableRepositories All { get; } = new(true, new HashSet<int>());

    public bool Includes(int repositoryId) => Everything || Ids.Contains(repositoryId);
}

/// <summary>
/// The one answer to "what may this user do in this repository?": the highest of the user's direct grant
/// and the grants of every team the user is in; <c>Administrator</c> is <c>Admin</c> everywhere; a locked
/// account has nothing, whatever its grants or roles. Everything that needs a repository privilege asks here.
/// </summary>
public sealed class RepositoryAccess(IDbContextFactory<AppDbContext> dbFactory, TimeProvider clock)
{
    /// <summary>
    /// The actor's effective privilege, or null for none. The actor's roles are those of its principal (as for
    /// every other service); the lock is read from the database, so a locked account loses access at once.
    /// </summary>
    public async Task<RepositoryPrivilege?> EffectivePrivilegeAsync(Actor actor, int repositoryId, CancellationToken cancellationToken = default)
    {
        var privileges = await PrivilegesAsync(actor, [repositoryId], cancellationToken);
        return privileges.TryGetValue(repositoryId, out var privilege) ? privilege : null;
    }

    /// <summary>A user's effective privilege, roles and lock read from the database (for callers without a principal).</summary>
    public async Task<RepositoryPrivilege?> EffectivePrivilegeAsync(string userId, int repositoryId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var subject = await LoadSubjectAsync(db, userId, administratorByRole: null, cancellationToken);
        var privileges = await DecideAsync(db, subject, [repositoryId], cancellationToken);
        return privileges.TryGetValue(repositoryId, out var privilege) ? privilege : null;
    }

    /// <summary>The repositories the actor holds at least <c>Read</c> on (not counting that public ones are open to all).</summary>
    public async Task<ReadableRepositories> ReadableRepositoriesAsync(Actor actor, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var subject = await SubjectAsync(db, actor, cancellationToken);
        return await ReadableAsync(db, subject, cancellationToken);
    }

    /// <inheritdoc cref="ReadableRepositoriesAsync(Actor, CancellationToken)"/>
    public async Task<ReadableRepositories> ReadableRepositoriesAsync(string userId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var subject = await LoadSubjectAsync(db, userId, administratorByRole: null, cancellationToken);
        return await ReadableAsync(db, subject, cancellationToken);
    }

    /// <summary>
    /// Every repository the actor holds a privilege on, with the effective privilege (an Administrator holds
    /// <c>Admin</c> on all of them). Used to narrow lists to what a permission allows.
    /// </summary>
    public async Task<IReadOnlyDictionary<int, RepositoryPrivilege>> AllPrivilegesAsync(Actor actor, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var subject = await SubjectAsync(db, actor, cancellationToken);
        if (subject.Locked || (subject.UserId is null && !subject.Administrator))
        {
            return new Dictionary<int, RepositoryPrivilege>();
        }
        if (subject.Administrator)
        {
            var all = await db.Set<Repository>().AsNoTracking().Select(r => r.Id).ToListAsync(cancellationToken);
            return all.ToDictionary(id => id, _ => RepositoryPrivilege.Admin);
        }
        var grants = await Grants(db, subject.UserId!).Select(g => new { g.RepositoryId, g.Privilege }).ToListAsync(cancellationToken);
        return grants.GroupBy(g => g.RepositoryId).ToDictionary(g => g.Key, g => g.Max(x => x.Privilege));
    }

    private async Task<Dictionary<int, RepositoryPrivilege>> PrivilegesAsync(
        Actor actor, int[] repositoryIds, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var subject = await SubjectAsync(db, actor, cancellationToken);
        return await DecideAsync(db, subject, repositoryIds, cancellationToken);
    }

    private async Task<Subject> SubjectAsync(AppDbContext db, Actor actor, CancellationToken cancellationToken) =>
        actor.UserId is { } userId
            ? await LoadSubjectAsync(db, userId, actor.IsAdministrator, cancellationToken)
            // Only the system actor has no user id; it has whatever role its principal carries.
            : new Subject(null, actor.IsAdministrator, Locked: false);

    private async Task<Subject> LoadSubjectAsync(
        AppDbContext db, string userId, bool? administratorByRole, CancellationToken cancellationToken)
    {
        var user = await db.Users.AsNoTracking().Where(u => u.Id == userId)
            .Select(u => new { u.Id, u.LockoutEnd }).FirstOrDefaultAsync(cancellationToken);
        // Compared here, not in SQL: SQLite cannot compare DateTimeOffset values. Same test as the API key handler.
        var locked = user?.LockoutEnd is { } until && until > clock.GetUtcNow();
        var administrator = administratorByRole ?? (user is not null && await (
            from userRole in db.UserRoles
            join role in db.Roles on userRole.RoleId equals role.Id
            where userRole.UserId == userId && role.Name == Roles.Administrator
            select userRole).AnyAsync(cancellationToken));
        return new Subject(user?.Id, administrator, locked);
    }

    private static async Task<Dictionary<int, RepositoryPrivilege>> DecideAsync(
        AppDbContext db, Subject subject, int[] repositoryIds, CancellationToken cancellationToken)
    {
        if (subject.Locked)
        {
            return [];
        }
        if (subject.Administrator)
        {
            var existing = await db.Set<Repository>().AsNoTracking().Where(r => repositoryIds.Contains(r.Id))
                .Select(r => r.Id).ToListAsync(cancellationToken);
            return existing.ToDictionary(id => id, _ => RepositoryPrivilege.Admin);
        }
        if (subject.UserId is null)
        {
            return [];
        }
        var grants = await Grants(db, subject.UserId).Where(g => repositoryIds.Contains(g.RepositoryId))
            .Select(g => new { g.RepositoryId, g.Privilege }).ToListAsync(cancellationToken);
        return grants.GroupBy(g => g.RepositoryId).ToDictionary(g => g.Key, g => g.Max(x => x.Privilege));
    }

    private static async Task<ReadableRepositories> ReadableAsync(AppDbContext db, Subject subject, CancellationToken cancellationToken)
    {
        if (subject.Locked || (subject.UserId is null && !subject.Administrator))
        {
            return ReadableRepositories.None;
        }
        if (subject.Administrator)
        {
            return ReadableRepositories.All;
        }
        // Every privilege includes Read, so any grant at all makes the repository readable.
        var ids = await Grants(db, subject.UserId!).Select(g => g.RepositoryId).Distinct().ToListAsync(cancellationToken);
        return new ReadableRepositories(false, ids.ToHashSet());
    }

    /// <summary>The user's direct grants and those of the teams the user is in.</summary>
    private static IQueryable<RepositoryGrant> Grants(AppDbContext db, string userId) =>
        db.Set<RepositoryGrant>().AsNoTracking().Where(g =>
            g.UserId == userId
            || (g.TeamId != null && db.Set<TeamMember>().Any(m => m.TeamId == g.TeamId && m.UserId == userId)));

    private sealed record Subject(string? UserId, bool Administrator, bool Locked);
}
