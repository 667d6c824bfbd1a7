using EntitlementPortal.Data;
using EntitlementPortal.Features.Permissions;
using EntitlementPortal.Features.Shared;
using Microsoft.EntityFrameworkCore;

namespace EntitlementPortal.Features.Tokens;

/// <summary>How many standard tokens one customer or one repository holds (deleted ones left out).</summary>
public sealed record TokenCount(int Active, int Disabled)
{
    public override string ToString() =>
        $"{TokenDisplay.Count(Active, "active token")}, {Disabled.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)} disabled";
}

/// <summary>
/// Counts for a list that shows part of the portal's tokens. The plan allowance counts the whole portal; a
/// customer's or a repository's page must count its own tokens, or "2 active tokens" on a customer with one is a lie.
/// </summary>
public sealed class ScopedTokenCounts(IDbContextFactory<AppDbContext> dbFactory, PermissionCheck permissions)
{
    /// <summary>The standard tokens matching the filter's repository and customer, among those the actor may see.</summary>
    public async Task<TokenCount> CountAsync(Actor actor, string? repo, int? customerId, CancellationToken cancellationToken = default)
    {
        var scope = await permissions.ScopeAsync(actor, Permission.ViewTokens, cancellationToken);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var tokens = db.Set<EntitlementToken>().AsNoTracking().Where(t => t.Kind == TokenKind.Standard && !t.IsDeleted);
        if (!scope.Everything)
        {
            var visible = scope.Ids.ToArray();
            tokens = tokens.Where(t => visible.Contains(t.RepositoryId));
        }
        if (repo is not null)
        {
            tokens = tokens.Where(t => t.Repository!.Slug == repo);
        }
        if (customerId is { } customer)
        {
            tokens = tokens.Where(t => t.CustomerId == customer);
        }
        var counts = await tokens.GroupBy(t => t.IsActive).Select(g => new { Active = g.Key, Count = g.Count() }).ToListAsync(cancellationToken);
        return new TokenCount(
            counts.Where(c => c.Active).Sum(c => c.Count),
            counts.Where(c => !c.Active).Sum(c => c.Count));
    }
}
