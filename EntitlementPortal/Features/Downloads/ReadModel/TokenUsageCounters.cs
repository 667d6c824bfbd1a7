using EntitlementPortal.Data;
using EntitlementPortal.Features.Tokens;
using Microsoft.EntityFrameworkCore;

namespace EntitlementPortal.Features.Downloads.ReadModel;

/// <summary>A token's usage so far, as the rules compare it with its limits.</summary>
internal sealed record TokenCounters(long Downloads, int Clients, long BandwidthBytes)
{
    public static TokenCounters None { get; } = new(0, 0, 0);
}

/// <summary>
/// The counters the rules' limit checks read, always from the database, never from the read model: the ledger
/// moves them on every download. The one place they are read, so a ledger that checks limits itself replaces this.
/// </summary>
internal sealed class TokenUsageCounters(IDbContextFactory<AppDbContext> dbFactory)
{
    public async ValueTask<TokenCounters> ReadAsync(DownloadToken token, CancellationToken cancellationToken)
    {
        if (!token.HasCountLimits)
        {
            // The rules compare counters only with limits that are set: nothing to read.
            return TokenCounters.None;
        }
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Set<EntitlementToken>().AsNoTracking().Where(t => t.Id == token.Id)
            .Select(t => new TokenCounters(t.Downloads, t.Clients, t.BandwidthBytes))
            .FirstOrDefaultAsync(cancellationToken) ?? TokenCounters.None;
    }
}
