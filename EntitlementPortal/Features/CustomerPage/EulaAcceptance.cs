using System.Security.Claims;
using EntitlementPortal.Data;
using EntitlementPortal.Features.Audit;
using EntitlementPortal.Features.Downloads.ReadModel;
using EntitlementPortal.Features.Shared;
using EntitlementPortal.Features.Tokens;
using Microsoft.EntityFrameworkCore;

namespace EntitlementPortal.Features.CustomerPage;

/// <summary>What accepting answered: accepted now, accepted before (kept as it was), or refused.</summary>
internal enum EulaOutcome
{
    Accepted,
    AlreadyAccepted,
}

/// <summary>
/// Accepting a repository's EULA for one token, from its download page or <c>POST /dl/{token}/{repo}/eula</c>. The
/// token is resolved exactly as its index resolves it (unknown 401, disabled or revoked 403); the first acceptance
/// is stored with its time and client address and audited, and the read model's version moves in the same save, so
/// the very next download on every instance sees it.
/// </summary>
internal sealed class EulaAcceptance(IDbContextFactory<AppDbContext> dbFactory, AuditTrail audit, TimeProvider clock)
{
    public async Task<EulaOutcome> AcceptAsync(int tokenId, string? clientIp, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var token = await db.Set<EntitlementToken>().AsNoTracking()
            .Where(t => t.Id == tokenId).Select(t => new { t.Name, t.EulaRequired })
            .FirstOrDefaultAsync(cancellationToken)
            ?? throw new NotFoundException($"Token {tokenId}");
        if (!token.EulaRequired)
        {
            throw new ConflictException("eula", "This token does not require accepting a licence agreement.");
        }
        // A conditional update: of two first acceptances at once (two tabs, two instances) exactly one is stored.
        var now = clock.GetUtcNow().UtcDateTime;
        var accepted = await db.Set<EntitlementToken>()
            .Where(t => t.Id == tokenId && t.EulaRequired && t.EulaAcceptedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.EulaAcceptedAt, now).SetProperty(t => t.EulaAcceptedFrom, clientIp), cancellationToken);
        if (accepted == 0)
        {
            return EulaOutcome.AlreadyAccepted;
        }
        // A bulk update bypasses SaveChanges' detection: the read model's version moves here, in the same transaction.
        await DownloadModelChanges.BumpAsync(db, cancellationToken);
        audit.Record(db, CustomerActor(token.Name, clientIp), AuditActions.AcceptEula, AuditEntityTypes.Token, tokenId.ToString(),
            $"Licence agreement accepted for token '{token.Name}' from {clientIp ?? "an unknown address"}.");
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return EulaOutcome.Accepted;
    }

    /// <summary>Nobody signs in on the download page: the audit log names the token the acceptance came through.</summary>
    private static Actor CustomerActor(string tokenName, string? clientIp) =>
        new(new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, $"customer (token '{tokenName}')")])), clientIp);
}
