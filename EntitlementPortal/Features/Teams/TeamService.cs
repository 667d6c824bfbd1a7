using EntitlementPortal.Data;
using EntitlementPortal.Features.Audit;
using EntitlementPortal.Features.Repositories.Privileges;
using EntitlementPortal.Features.Permissions;
using EntitlementPortal.Features.Shared;
using FluentValidation;
using Microsoft.EntityFrameworkCore;

namespace EntitlementPortal.Features.Teams;

/// <summary>Teams and their members, for the Teams page and the API alike. Administrators only.</summary>
public sealed class TeamService(
    IDbContextFactory<AppDbContext> dbFactory,
    IValidator<TeamInput> validator,
    AuditTrail audit,
    TimeProvider clock)
{
    public async Task<PagedResult<TeamView>> ListAsync(Actor actor, PageRequest page, CancellationToken cancellationToken = default)
    {
        EnsureAdministrator(actor);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var teams = db.Set<Team>().AsNoTracking();
        if (page.SearchTerm is { } term)
        {
            var pattern = TextSearch.ContainsPattern(term);
            teams = teams.Where(t => EF.Functions.Like(t.Slug, pattern, TextSearch.Escape) || EF.Functions.Like(t.Name, pattern, TextSearch.Escape));
        }
        var total = await teams.CountAsync(cancellationToken);
        var sorted = page.SortBy?.ToLowerInvariant() switch
        {
            "name" => page.Descending ? teams.OrderByDescending(t => t.Name) : teams.OrderBy(t => t.Name),
            _ => page.Descending ? teams.OrderByDescending(t => t.Slug) : teams.OrderBy(t => t.Slug),
        };
        var items = await Views(sorted.Skip(page.Skip).Take(page.SafePageSize)).ToListAsync(cancellationToken);
        return new PagedResult<TeamView>(items, total);
    }

    public async Task<TeamView> GetAsync(Actor actor, string slug, CancellationToken cancellationToken = default)
    {
        EnsureAdministrator(actor);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await Views(db.Set<Team>().AsNoTracking().Where(t => t.Slug == slug)).FirstOrDefaultAsync(cancellationToken)
            ?? throw TeamNotFound(slug);
    }

    /// <summary>The team's members with their e-mail addresses, for the page.</summary>
    public async Task<IReadOnlyList<TeamMemberView>> MembersAsync(Actor actor, string slug, CancellationToken cancellationToken = default)
    {
        EnsureAdministrator(actor);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var team = await FindIdAsync(db, slug, cancellationToken);
        return await db.Set<TeamMember>().AsNoTracking().Where(m => m.TeamId == team)
            .OrderBy(m => m.User!.Email)
            .Select(m => new TeamMemberView(m.UserId, m.User!.Email, m.User.Name, m.AddedAt))
            .ToListAsync(cancellationToken);
    }

    public async Task<TeamView> CreateAsync(Actor actor, TeamInput input, CancellationToken cancellationToken = default)
    {
        EnsureAdministrator(actor);
        var team = Normalized(input);
        await validator.EnsureValidAsync(team, cancellationToken);

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await EnsureSlugFreeAsync(db, team.Slug, exceptId: null, cancellationToken);
        var now = clock.GetUtcNow().UtcDateTime;
        db.Add(new Team { Slug = team.Slug, Name = team.Name, CreatedAt = now, UpdatedAt = now });
        audit.Record(db, actor, AuditActions.Create, AuditEntityTypes.Team, team.Slug, $"Created team '{team.Name}' ({team.Slug}).");
        await SaveAsync(db, team.Slug, cancellationToken);
        return await GetAsync(actor, team.Slug, cancellationToken);
    }

    /// <summary>Renames a team; its slug may change too (grants and memberships follow the team, not the slug).</summary>
    public async Task<TeamView> UpdateAsync(Actor actor, string slug, TeamInput input, CancellationToken cancellationToken = default)
    {
        EnsureAdministrator(actor);
        var changed = Normalized(input);
        await validator.EnsureValidAsync(changed, cancellationToken);

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var team = await db.Set<Team>().FirstOrDefaultAsync(t => t.Slug == slug, cancellationToken) ?? throw TeamNotFound(slug);
        await EnsureSlugFreeAsync(db, changed.Slug, exceptId: team.Id, cancellationToken);
        team.Slug = changed.Slug;
        team.Name = changed.Name;
        if (db.ChangeTracker.HasChanges())
        {
            var changes = AuditTrail.DescribeChanges(db.Entry(team));
            team.UpdatedAt = clock.GetUtcNow().UtcDateTime;
            audit.Record(db, actor, AuditActions.Update, AuditEntityTypes.Team, team.Slug, $"Team '{slug}': {changes}.");
            await SaveAsync(db, changed.Slug, cancellationToken);
        }
        return await GetAsync(actor, team.Slug, cancellationToken);
    }

    /// <summary>Deletes a team; its memberships and repository grants go with it (members lose what the team gave them).</summary>
    public async Task DeleteAsync(Actor actor, string slug, CancellationToken cancellationToken = default)
    {
        EnsureAdministrator(actor);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var team = await db.Set<Team>().FirstOrDefaultAsync(t => t.Slug == slug, cancellationToken) ?? throw TeamNotFound(slug);
        var members = await db.Set<TeamMember>().CountAsync(m => m.TeamId == team.Id, cancellationToken);
        var grants = await db.Set<RepositoryGrant>().CountAsync(g => g.TeamId == team.Id, cancellationToken);
        db.Remove(team);
        audit.Record(db, actor, AuditActions.Delete, AuditEntityTypes.Team, slug,
            $"Deleted team '{team.Name}' ({slug}) with {members} membership{(members == 1 ? "" : "s")} and {grants} repository grant{(grants == 1 ? "" : "s")}.");
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>Adds a user (by id or e-mail) to the team. Adding a member again changes nothing and is not an error.</summary>
    public async Task<TeamView> AddMemberAsync(Actor actor, string slug, string user, CancellationToken cancellationToken = default)
    {
        EnsureAdministrator(actor);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var team = await FindIdAsync(db, slug, cancellationToken);
        var member = await UserLookup.FindAsync(db, user, cancellationToken);
        if (!await db.Set<TeamMember>().AnyAsync(m => m.TeamId == team && m.UserId == member.Id, cancellationToken))
        {
            db.Add(new TeamMember { TeamId = team, UserId = member.Id, AddedAt = clock.GetUtcNow().UtcDateTime });
            audit.Record(db, actor, AuditActions.Update, AuditEntityTypes.Team, slug, $"Added {UserLookup.Describe(member)} to team '{slug}'.");
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException ex) when (DatabaseErrors.IsUniqueViolation(ex))
            {
                // Someone added the same member a moment ago: the outcome asked for holds, so it is not an error.
            }
        }
        return await GetAsync(actor, slug, cancellationToken);
    }

    /// <summary>Removes a user from the team; a user who is not a member is left as is (not an error).</summary>
    public async Task RemoveMemberAsync(Actor actor, string slug, string user, CancellationToken cancellationToken = default)
    {
        EnsureAdministrator(actor);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var team = await FindIdAsync(db, slug, cancellationToken);
        var member = await UserLookup.FindAsync(db, user, cancellationToken);
        var membership = await db.Set<TeamMember>().FirstOrDefaultAsync(m => m.TeamId == team && m.UserId == member.Id, cancellationToken);
        if (membership is not null)
        {
            db.Remove(membership);
            audit.Record(db, actor, AuditActions.Update, AuditEntityTypes.Team, slug, $"Removed {UserLookup.Describe(member)} from team '{slug}'.");
            await db.SaveChangesAsync(cancellationToken);
        }
    }

    private static IQueryable<TeamView> Views(IQueryable<Team> teams) =>
        teams.Select(t => new TeamView(t.Id, t.Slug, t.Name,
            t.Members.OrderBy(m => m.UserId).Select(m => m.UserId).ToList(), t.CreatedAt, t.UpdatedAt));

    private static async Task<int> FindIdAsync(AppDbContext db, string slug, CancellationToken cancellationToken) =>
        await db.Set<Team>().Where(t => t.Slug == slug).Select(t => (int?)t.Id).FirstOrDefaultAsync(cancellationToken)
        ?? throw TeamNotFound(slug);

    private static async Task EnsureSlugFreeAsync(AppDbContext db, string slug, int? exceptId, CancellationToken cancellationToken)
    {
        if (await db.Set<Team>().AnyAsync(t => t.Slug == slug && t.Id != exceptId, cancellationToken))
        {
            throw DuplicateSlug(slug);
        }
    }

    private static async Task SaveAsync(AppDbContext db, string slug, CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (DatabaseErrors.IsUniqueViolation(ex))
        {
            // Two writers racing past the check: the unique index decides.
            throw DuplicateSlug(slug);
        }
    }

    private static TeamInput Normalized(TeamInput input) =>
        new() { Slug = (input.Slug ?? "").Trim(), Name = (input.Name ?? "").Trim() };

    private static void EnsureAdministrator(Actor actor)
    {
        PermissionCheck.Ensure(actor, Permission.ManageTeams);
    }

    private static NotFoundException TeamNotFound(string slug) => new($"Team '{slug}'");

    private static ConflictException DuplicateSlug(string slug) =>
        new(nameof(TeamInput.Slug), $"A team with the slug '{slug}' already exists.");
}
