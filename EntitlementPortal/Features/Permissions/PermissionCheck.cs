using EntitlementPortal.Data;
using EntitlementPortal.Features.Repositories;
using EntitlementPortal.Features.Repositories.Privileges;
using EntitlementPortal.Features.Shared;
using EntitlementPortal.Identity;
using Microsoft.EntityFrameworkCore;

namespace EntitlementPortal.Features.Permissions;

/// <summary>
/// A caller's standings in one repository and the answers of <see cref="PermissionTable"/> for them. Pages use
/// it to show buttons; services use it (through <see cref="Ensure"/>) to refuse.
/// </summary>
public sealed record RepositoryStandings(string Slug, string? UserId, IReadOnlySet<Standing> Standings)
{
    public bool Allows(Permission permission) => PermissionTable.Allows(permission, Standings);

    /// <summary>Whether the caller may do this to a package uploaded by <paramref name="uploadedById"/>.</summary>
    public bool AllowsOnPackage(Permission permission, string? uploadedById) =>
        PermissionTable.Allows(permission, OwnsPackage(uploadedById) ? new HashSet<Standing>(Standings) { Standing.PackageOwner } : Standings);

    /// <summary>
    /// Refuses what the table does not allow: "not found" when the caller may not even see the repository (a
    /// private repository reveals nothing to outsiders), 403 otherwise.
    /// </summary>
    public void Ensure(Permission permission, string? uploadedById = null)
    {
        if (AllowsOnPackage(permission, uploadedById))
        {
            return;
        }
        if (!Allows(Permission.ViewRepository))
        {
            throw new NotFoundException($"Repository '{Slug}'");
        }
        throw new ForbiddenException(PermissionCheck.Refusal(permission, $" in '{Slug}'"));
    }

    // Ownership counts only while the uploader can still write: a reader who once uploaded owns nothing.
    private bool OwnsPackage(string? uploadedById) =>
        uploadedById is not null && uploadedById == UserId && Standings.Contains(Standing.RepositoryWriter);
}

/// <summary>Repositories where a permission holds: all of them, or these ids (plus public ones where visitors qualify).</summary>
public sealed record RepositoryScope(bool Everything, IReadOnlySet<int> Ids, bool PublicOnes)
{
    public bool Includes(int repositoryId, RepositoryVisibility visibility) =>
        Everything || Ids.Contains(repositoryId) || (PublicOnes && visibility == RepositoryVisibility.Public);
}

/// <summary>Works out callers' standings (roles from the principal, privileges from <see cref="RepositoryAccess"/>).</summary>
public sealed class PermissionCheck(IDbContextFactory<AppDbContext> dbFactory, RepositoryAccess access)
{
    /// <summary>The standings that do not depend on a repository: the caller's global roles.</summary>
    public static IReadOnlySet<Standing> GlobalStandings(Actor actor)
    {
        var standings = new HashSet<Standing>();
        if (!actor.IsAuthenticated)
        {
            return standings;
        }
        if (actor.IsInAnyRole(Roles.Administrator))
        {
            standings.Add(Standing.Administrator);
        }
        if (actor.IsInAnyRole(Roles.AccountManager))
        {
            standings.Add(Standing.AccountManager);
        }
        if (actor.IsInAnyRole(Roles.TokenManager))
        {
            standings.Add(Standing.TokenManager);
        }
        return standings;
    }

    public static bool Allows(Actor actor, Permission permission) => PermissionTable.Allows(permission, GlobalStandings(actor));

    /// <summary>Refuses (403) an operation that needs no repository when the caller's roles do not allow it.</summary>
    public static void Ensure(Actor actor, Permission permission)
    {
        if (!Allows(actor, permission))
        {
            throw new ForbiddenException(Refusal(permission, ""));
        }
    }

    public async Task<RepositoryStandings> InRepositoryAsync(
        Actor actor, int repositoryId, string slug, RepositoryVisibility visibility, CancellationToken cancellationToken = default)
    {
        var standings = new HashSet<Standing>(GlobalStandings(actor));
        if (actor.IsAuthenticated)
        {
            standings.UnionWith(FromPrivilege(await access.EffectivePrivilegeAsync(actor, repositoryId, cancellationToken)));
            if (visibility == RepositoryVisibility.Public)
            {
                standings.Add(Standing.PublicVisitor);
            }
        }
        return new RepositoryStandings(slug, actor.UserId, standings);
    }

    /// <summary>The caller's standings in the repository with this slug; "not found" when it does not exist or is hidden.</summary>
    public async Task<RepositoryStandings> InRepositoryAsync(Actor actor, string slug, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var repository = await db.Set<Repository>().AsNoTracking().FirstOrDefaultAsync(r => r.Slug == slug, cancellationToken)
            ?? throw new NotFoundException($"Repository '{slug}'");
        var standings = await InRepositoryAsync(actor, repository, cancellationToken);
        standings.Ensure(Permission.ViewRepository);
        return standings;
    }

    public Task<RepositoryStandings> InRepositoryAsync(Actor actor, Repository repository, CancellationToken cancellationToken = default) =>
        InRepositoryAsync(actor, repository.Id, repository.Slug, repository.Visibility, cancellationToken);

    /// <summary>
    /// For callers without a principal (a download with a user token or a password): whether the user's privilege on
    /// the repository, read from the database with the account's lock and <c>Administrator</c> role, allows the
    /// operation. Only repository standings count here; the table gives the other roles nothing on this path.
    /// </summary>
    public async Task<bool> PrivilegeAllowsAsync(string userId, int repositoryId, Permission permission, CancellationToken cancellationToken = default) =>
        PermissionTable.Allows(permission, FromPrivilege(await access.EffectivePrivilegeAsync(userId, repositoryId, cancellationToken)));

    /// <summary>The repositories where the caller's standings allow <paramref name="permission"/>.</summary>
    public async Task<RepositoryScope> ScopeAsync(Actor actor, Permission permission, CancellationToken cancellationToken = default)
    {
        if (Allows(actor, permission))
        {
            return new RepositoryScope(true, new HashSet<int>(), PublicOnes: true);
        }
        if (!actor.IsAuthenticated)
        {
            return new RepositoryScope(false, new HashSet<int>(), PublicOnes: false);
        }
        var privileges = await access.AllPrivilegesAsync(actor, cancellationToken);
        var ids = privileges.Where(p => PermissionTable.Allows(permission, FromPrivilege(p.Value))).Select(p => p.Key).ToHashSet();
        return new RepositoryScope(false, ids, PermissionTable.Allows(permission, new HashSet<Standing> { Standing.PublicVisitor }));
    }

    public static IReadOnlySet<Standing> FromPrivilege(RepositoryPrivilege? privilege) => privilege switch
    {
        RepositoryPrivilege.Admin => new HashSet<Standing> { Standing.RepositoryAdmin, Standing.RepositoryWriter, Standing.RepositoryReader },
        RepositoryPrivilege.Write => new HashSet<Standing> { Standing.RepositoryWriter, Standing.RepositoryReader },
        RepositoryPrivilege.Read => new HashSet<Standing> { Standing.RepositoryReader },
        _ => new HashSet<Standing>(),
    };

    /// <summary>A refusal that says who may: "Upload a package in 'acme' needs Administrator, repository admin or write."</summary>
    internal static string Refusal(Permission permission, string where)
    {
        var rule = PermissionTable.For(permission);
        var who = rule.AllowedTo.Order().Select(StandingNames.Describe).ToList();
        var list = who.Count == 1 ? who[0] : string.Join(", ", who[..^1]) + " or " + who[^1];
        return $"{rule.Operation}{where} needs {list}.";
    }
}

public static class StandingNames
{
    public static string Describe(Standing standing) => standing switch
    {
        Standing.Administrator => "the Administrator role",
        Standing.AccountManager => "the AccountManager role",
        Standing.TokenManager => "the TokenManager role",
        Standing.RepositoryAdmin => "admin on the repository",
        Standing.RepositoryWriter => "write on the repository",
        Standing.PackageOwner => "write on the repository and having uploaded the package",
        Standing.RepositoryReader => "read on the repository",
        Standing.PublicVisitor => "a signed-in account (public repositories)",
        _ => standing.ToString(),
    };
}
