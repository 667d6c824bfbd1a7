using EntitlementPortal.Data;
using EntitlementPortal.Features.Customers;
using EntitlementPortal.Features.Permissions;
using EntitlementPortal.Features.Shared;
using Microsoft.EntityFrameworkCore;

namespace EntitlementPortal.Features.Tokens;

/// <summary>
/// Which tokens belong to a revoked customer. Such a token is refused whatever its own switch says, and enabling it
/// fails until the customer is reinstated, so the pages must say "Customer revoked" rather than a plain "Disabled".
/// The API's token shape has no field for it (http-contract.md), hence a page-side query and not a TokenView field.
/// </summary>
public sealed class TokenCustomerStanding(IDbContextFactory<AppDbContext> dbFactory, PermissionCheck permissions)
{
    /// <summary>The ids among <paramref name="tokenIds"/> whose customer is revoked, limited to tokens the actor may see.</summary>
    public async Task<IReadOnlySet<int>> RevokedAsync(Actor actor, IEnumerable<int> tokenIds, CancellationToken cancellationToken = default)
    {
        var ids = tokenIds.Distinct().ToArray();
        if (ids.Length == 0)
        {
            return new HashSet<int>();
        }
        var scope = await permissions.ScopeAsync(actor, Permission.ViewTokens, cancellationToken);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var tokens = db.Set<EntitlementToken>().AsNoTracking()
            .Where(t => ids.Contains(t.Id) && t.Customer!.Status == CustomerStatus.Revoked);
        if (!scope.Everything)
        {
            var visible = scope.Ids.ToArray();
            tokens = tokens.Where(t => visible.Contains(t.RepositoryId));
        }
        return (await tokens.Select(t => t.Id).ToListAsync(cancellationToken)).ToHashSet();
    }
}
