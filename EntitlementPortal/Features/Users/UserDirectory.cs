using EntitlementPortal.Data;
using EntitlementPortal.Features.Permissions;
using EntitlementPortal.Features.Shared;
using EntitlementPortal.Identity;
using Microsoft.EntityFrameworkCore;

namespace EntitlementPortal.Features.Users;

/// <summary>Reading the people who sign in to the portal: administrators only.</summary>
public sealed class UserDirectory(IDbContextFactory<AppDbContext> dbFactory, TimeProvider clock)
{
    public async Task<PagedResult<UserView>> ListAsync(
        Actor actor, PageRequest page, string? role = null, CancellationToken cancellationToken = default)
    {
        UserAuthorization.EnsureCanManage(actor);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var users = db.Users.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(role))
        {
            var roleName = UserRules.NormalizeRoles([role]).Single();
            users = users.Where(u => db.UserRoles.Any(ur => ur.UserId == u.Id
                && db.Roles.Any(r => r.Id == ur.RoleId && r.Name == roleName)));
        }
        if (page.SearchTerm is { } term)
        {
            var pattern = TextSearch.ContainsPattern(term);
            users = users.Where(u => EF.Functions.Like(u.Email!, pattern, TextSearch.Escape)
                || EF.Functions.Like(u.Name!, pattern, TextSearch.Escape));
        }
        var total = await users.CountAsync(cancellationToken);
        var rows = await Sort(users, page).Skip(page.Skip).Take(page.SafePageSize)
            .Select(u => new UserRow(u.Id, u.Email!, u.Name, u.LockoutEnd, u.CreatedAt, u.LastSignInAt))
            .ToListAsync(cancellationToken);
        return new PagedResult<UserView>(await WithRolesAsync(db, rows, cancellationToken), total);
    }

    public async Task<UserView> GetAsync(Actor actor, string id, CancellationToken cancellationToken = default)
    {
        UserAuthorization.EnsureCanManage(actor);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await FindAsync(db, id, cancellationToken) ?? throw UserAuthorization.NotFound(id);
    }

    private async Task<UserView?> FindAsync(AppDbContext db, string id, CancellationToken cancellationToken)
    {
        var row = await db.Users.AsNoTracking().Where(u => u.Id == id)
            .Select(u => new UserRow(u.Id, u.Email!, u.Name, u.LockoutEnd, u.CreatedAt, u.LastSignInAt))
            .FirstOrDefaultAsync(cancellationToken);
        return row is null ? null : (await WithRolesAsync(db, [row], cancellationToken)).Single();
    }

    private async Task<IReadOnlyList<UserView>> WithRolesAsync(AppDbContext db, List<UserRow> rows, CancellationToken cancellationToken)
    {
        var ids = rows.Select(r => r.Id).ToList();
        var roles = (await db.UserRoles.AsNoTracking().Where(ur => ids.Contains(ur.UserId))
                .Join(db.Roles, ur => ur.RoleId, r => r.Id, (ur, r) => new { ur.UserId, r.Name })
                .ToListAsync(cancellationToken))
            .ToLookup(x => x.UserId, x => x.Name!);
        // LockoutEnd is a DateTimeOffset, which SQLite cannot compare in SQL: decided here, after paging.
        var now = clock.GetUtcNow();
        return rows.Select(r => new UserView(r.Id, r.Email, r.Name, roles[r.Id].Order(StringComparer.Ordinal).ToList(),
            r.LockoutEnd is { } until && until > now, r.CreatedAt, r.LastSignInAt)).ToList();
    }

    private static IQueryable<ApplicationUser> Sort(IQueryable<ApplicationUser> users, PageRequest page) =>
        page.SortBy?.ToLowerInvariant() switch
        {
            "name" => page.Descending ? users.OrderByDescending(u => u.Name).ThenBy(u => u.Email) : users.OrderBy(u => u.Name).ThenBy(u => u.Email),
            "createdat" => page.Descending ? users.OrderByDescending(u => u.CreatedAt) : users.OrderBy(u => u.CreatedAt),
            "lastsigninat" => page.Descending ? users.OrderByDescending(u => u.LastSignInAt) : users.OrderBy(u => u.LastSignInAt),
            _ => page.Descending ? users.OrderByDescending(u => u.NormalizedEmail) : users.OrderBy(u => u.NormalizedEmail),
        };

    private sealed record UserRow(string Id, string Email, string? Name, DateTimeOffset? LockoutEnd, DateTime CreatedAt, DateTime? LastSignInAt);
}

internal static class UserAuthorization
{
    public static void EnsureCanManage(Actor actor)
    {
        PermissionCheck.Ensure(actor, Permission.ManageUsers);
    }

    public static NotFoundException NotFound(string id) => new($"User '{id}'");
}
