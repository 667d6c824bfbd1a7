using EntitlementPortal.Data;
using EntitlementPortal.Features.Repositories;
using EntitlementPortal.Features.Tokens;
using Microsoft.EntityFrameworkCore;

namespace EntitlementPortal.Features.CustomerPage;

/// <summary>
/// The token's terms and the repository's title for the page. Only called once the download decision has let the
/// request through, with the token it resolved: the page never looks anything up by what the request typed.
/// </summary>
public sealed class CustomerPageQueries(IDbContextFactory<AppDbContext> dbFactory)
{
    public async Task<CustomerTokenSummary?> TokenAsync(int tokenId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Set<EntitlementToken>().AsNoTracking()
            .Where(t => t.Id == tokenId)
            .Select(t => new CustomerTokenSummary(
                t.Name, t.Customer != null ? t.Customer.Name : null, t.LimitDateFrom, t.LimitDateTo,
                t.LimitDownloads, t.LimitClients, t.LimitBandwidthBytes, t.Downloads, t.Clients, t.BandwidthBytes,
                t.ResetPeriod, t.NextResetAt)
            {
                EulaRequired = t.EulaRequired,
                EulaAcceptedAt = t.EulaAcceptedAt,
                Fallback = t.AfterExpiry == AfterExpiry.Fallback,
            })
            .FirstOrDefaultAsync(cancellationToken);
    }

    public async Task<(string Name, string? Description, string? Eula)?> RepositoryAsync(string slug, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var found = await db.Set<Repository>().AsNoTracking()
            .Where(r => r.Slug == slug)
            .Select(r => new { r.Name, r.Description, r.Eula })
            .FirstOrDefaultAsync(cancellationToken);
        return found is null ? null : (found.Name, found.Description, found.Eula);
    }
}
