using EntitlementPortal.Features.Audit;
using EntitlementPortal.Features.Shared;
using FluentValidation;
using FluentValidation.Results;
using Microsoft.EntityFrameworkCore;

namespace EntitlementPortal.Features.Tokens;

public sealed partial class TokenService
{
    public Task<TokenView> DisableAsync(Actor actor, string repo, int id, CancellationToken cancellationToken = default) =>
        SetActiveAsync(actor, repo, id, active: false, cancellationToken);

    public Task<TokenView> EnableAsync(Actor actor, string repo, int id, CancellationToken cancellationToken = default) =>
        SetActiveAsync(actor, repo, id, active: true, cancellationToken);

    private async Task<TokenView> SetActiveAsync(Actor actor, string repo, int id, bool active, CancellationToken cancellationToken)
    {
        EnsureCanManage(actor);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var token = await FindStandardAsync(db, repo, id, cancellationToken);
        EnsureNotDeleted(token);
        if (active)
        {
            EnsurePrivate(token);
        }
        if (active && token.Customer?.Status == Customers.CustomerStatus.Revoked)
        {
            throw new ConflictException(nameof(TokenInput.IsActive),
                $"Customer '{token.Customer.Name}' is revoked: reinstate the customer to enable their tokens.");
        }
        if (token.IsActive != active)
        {
            token.SuspendedWithCustomer = false;
            await AllowanceGate.WaitAsync(cancellationToken);
            try
            {
                if (active)
                {
                    await EnsureAllowanceAsync(db, cancellationToken);
                }
                token.IsActive = active;
                token.UpdatedAt = clock.GetUtcNow().UtcDateTime;
                audit.Record(db, actor, AuditActions.Update, AuditEntityTypes.Token, token.Id.ToString(),
                    $"{(active ? "Enabled" : "Disabled")} token '{token.Name}' in {repo}.");
                await db.SaveChangesAsync(cancellationToken);
            }
            finally
            {
                AllowanceGate.Release();
            }
        }
        return ToView(token, repo, token.Customer?.Name, CanSeeSecrets(actor) ? secrets.Reveal(token.SecretCiphertext) : null);
    }

    /// <summary>
    /// Gives the token a new generated secret. The old one stops working at once, or after
    /// <paramref name="graceSeconds"/> so customers can roll the new one out first.
    /// </summary>
    public async Task<TokenView> RefreshAsync(Actor actor, string repo, int id, int? graceSeconds = null, CancellationToken cancellationToken = default)
    {
        EnsureCanManage(actor);
        if (graceSeconds is < 0 or > TokenRules.MaxGraceSeconds)
        {
            throw new ValidationException([new ValidationFailure("graceSeconds",
                $"graceSeconds must be between 0 and {TokenRules.MaxGraceSeconds} (30 days).")]);
        }
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var token = await FindStandardAsync(db, repo, id, cancellationToken);
        EnsureNotDeleted(token);

        var now = clock.GetUtcNow().UtcDateTime;
        var secret = TokenSecret.Generate();
        ReplaceSecret(token, secret, isCustom: false, actor, now, graceSeconds is > 0 ? TimeSpan.FromSeconds(graceSeconds.Value) : null);
        token.UpdatedAt = now;
        audit.Record(db, actor, AuditActions.Update, AuditEntityTypes.Token, token.Id.ToString(),
            $"Refreshed the secret of token '{token.Name}' in {repo} (now {token.SecretHint})"
            + (token.PreviousSecretValidUntil is { } until ? $"; the old secret works until {until:yyyy-MM-dd HH:mm:ss} UTC." : "; the old secret stopped working."));
        await SaveAsync(db, cancellationToken);
        return ToView(token, repo, token.Customer?.Name, secret);
    }

    /// <summary>Puts the usage counters back to zero; the download history stays.</summary>
    public async Task<TokenView> ResetUsageAsync(Actor actor, string repo, int id, CancellationToken cancellationToken = default)
    {
        EnsureCanManage(actor);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var token = await FindStandardAsync(db, repo, id, cancellationToken);
        EnsureNotDeleted(token);
        var before = $"{token.Downloads} downloads, {token.Clients} clients, {ByteSize.Format(token.BandwidthBytes)}";
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await ForgetClientsAsync(db, [token.Id], cancellationToken);
        ZeroUsage(token);
        token.UpdatedAt = clock.GetUtcNow().UtcDateTime;
        audit.Record(db, actor, AuditActions.Update, AuditEntityTypes.Token, token.Id.ToString(),
            $"Reset the usage of token '{token.Name}' in {repo} (was {before}).");
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return ToView(token, repo, token.Customer?.Name, CanSeeSecrets(actor) ? secrets.Reveal(token.SecretCiphertext) : null);
    }

    /// <summary>
    /// Soft delete: the token stays for the history but its secret never works again (its digest is replaced
    /// by a random tombstone, which also frees a custom string for reuse) and it cannot be re-enabled.
    /// </summary>
    public async Task DeleteAsync(Actor actor, string repo, int id, CancellationToken cancellationToken = default)
    {
        EnsureCanManage(actor);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var token = await FindStandardAsync(db, repo, id, cancellationToken);
        if (token.IsDeleted)
        {
            return;
        }
        var now = clock.GetUtcNow().UtcDateTime;
        token.IsDeleted = true;
        token.IsActive = false;
        token.DeletedAt = now;
        token.UpdatedAt = now;
        token.SecretDigest = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        token.PreviousSecretDigest = null;
        token.PreviousSecretValidUntil = null;
        audit.Record(db, actor, AuditActions.Delete, AuditEntityTypes.Token, token.Id.ToString(),
            $"Deleted token '{token.Name}' in {repo} ({token.SecretHint}); its history is kept.");
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>Applies every scheduled usage reset that is due. Returns how many tokens were reset.</summary>
    public async Task<int> ApplyDueResetsAsync(CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var due = await db.Set<EntitlementToken>()
            .Where(t => t.NextResetAt != null && t.NextResetAt <= now && !t.IsDeleted)
            .OrderBy(t => t.NextResetAt).Take(500)
            .ToListAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await ForgetClientsAsync(db, due.Select(t => t.Id).ToList(), cancellationToken);
        foreach (var token in due)
        {
            ZeroUsage(token);
            token.NextResetAt = ResetSchedule.NextAfter(token.ResetPeriod, token.NextResetAt!.Value, now);
            audit.Record(db, Actor.System, AuditActions.Update, AuditEntityTypes.Token, token.Id.ToString(),
                $"Scheduled {token.ResetPeriod.ToString().ToLowerInvariant()} reset of token '{token.Name}': usage back to zero.");
        }
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return due.Count;
    }

    /// <summary>A reset starts the distinct-client count afresh: the clients and counted files are forgotten too.</summary>
    private static async Task ForgetClientsAsync(Data.AppDbContext db, List<int> tokenIds, CancellationToken cancellationToken)
    {
        if (tokenIds.Count == 0)
        {
            return;
        }
        await db.Set<Downloads.TokenClient>().Where(c => tokenIds.Contains(c.TokenId)).ExecuteDeleteAsync(cancellationToken);
        await db.Set<Downloads.TokenFileDownload>().Where(f => tokenIds.Contains(f.TokenId)).ExecuteDeleteAsync(cancellationToken);
    }

    private static void ZeroUsage(EntitlementToken token)
    {
        token.Downloads = 0;
        token.Clients = 0;
        token.BandwidthBytes = 0;
    }
}
