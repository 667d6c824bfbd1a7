using EntitlementPortal.Data;
using EntitlementPortal.Features.Permissions;
using EntitlementPortal.Features.Repositories;
using EntitlementPortal.Features.Shared;
using Microsoft.EntityFrameworkCore;

namespace EntitlementPortal.Features.Tokens;

public sealed record RepositoryChoice(string Slug, string Name);

/// <summary>
/// Where the actor may create a token: private repositories (a public one serves without tokens) in which they may
/// manage tokens. The "New token" dialogs outside a repository page offer exactly these.
/// </summary>
public sealed class TokenRepositoryChoices(IDbContextFactory<AppDbContext> dbFactory, PermissionCheck permissions)
{
    public async Task<IReadOnlyList<RepositoryChoice>> ListAsync(Actor actor, CancellationToken cancellationToken = default)
    {
        var scope = await permissions.ScopeAsync(actor, Permission.ManageTokens, cancellationToken);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var repositories = db.Set<Repository>().AsNoTracking().Where(r => r.Visibility == RepositoryVisibility.Private);
        if (!scope.Everything)
        {
            var ids = scope.Ids.ToArray();
            repositories = repositories.Where(r => ids.Contains(r.Id));
        }
        return await repositories.OrderBy(r => r.Slug).Select(r => new RepositoryChoice(r.Slug, r.Name)).ToListAsync(cancellationToken);
    }
}
