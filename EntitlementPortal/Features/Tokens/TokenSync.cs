using EntitlementPortal.Data;
using EntitlementPortal.Features.Audit;
using EntitlementPortal.Features.Permissions;
using EntitlementPortal.Features.Shared;
using FluentValidation;
using FluentValidation.Results;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace EntitlementPortal.Features.Tokens;

public sealed record SyncResult(int Created, int Updated, int Deleted);

/// <summary>Copies one repository's standard tokens onto another, so one customer's token works in both.</summary>
public sealed class TokenSync(
    IDbContextFactory<AppDbContext> dbFactory,
    TokenAccess access,
    IOptionsMonitor<PlanOptions> plan,
    AuditTrail audit,
    TimeProvider clock)
{
    /// <summary>
    /// Makes <paramref name="targetRepo"/>'s standard tokens match <paramref name="sourceRepo"/>'s: same names,
    /// secrets, restrictions and metadata. Target tokens with no counterpart are deleted. Usage counters of
    /// matched tokens are kept (they count downloads from the target repository).
    /// </summary>
    public async Task<SyncResult> SyncAsync(Actor actor, string targetRepo, string sourceRepo, CancellationToken cancellationToken = default)
    {
        await access.EnsureAsync(actor, targetRepo, Permission.ManageTokens, cancellationToken);
        if (string.Equals(targetRepo, sourceRepo, StringComparison.Ordinal))
        {
            throw new ValidationException([new ValidationFailure("source", "A repository cannot be synced from itself.")]);
        }
        // Copying the source's tokens (secrets included) needs the right to see them there.
        await access.EnsureAsync(actor, sourceRepo, Permission.RevealTokenSecrets, cancellationToken);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var target = await TokenRows.FindPrivateRepositoryAsync(db, targetRepo, cancellationToken);
        var source = await TokenRows.FindPrivateRepositoryAsync(db, sourceRepo, cancellationToken);

        // The allowance is held first, so the counts below and the tokens read after it are what the sync commits against.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var allowance = PlanAllowance.From(plan.CurrentValue);
        await allowance.HoldAsync(db, cancellationToken);
        var wanted = await db.Set<EntitlementToken>().AsNoTracking()
            .Where(t => t.RepositoryId == source.Id && t.Kind == TokenKind.Standard && !t.IsDeleted)
            .ToListAsync(cancellationToken);
        if (!allowance.IsUnlimited)
        {
            var activeElsewhere = await db.Set<EntitlementToken>().CountAsync(t =>
                t.RepositoryId != target.Id && t.IsActive && !t.IsDeleted && t.Kind == TokenKind.Standard, cancellationToken);
            var activeAfter = activeElsewhere + wanted.Count(t => t.IsActive);
            if (activeAfter > allowance.Max)
            {
                throw new ConflictException("source",
                    $"After the sync {TokenDisplay.Count(activeAfter, "token")} would be active, but the plan allows {allowance.Max}. Nothing was changed.");
            }
        }
        var existing = await db.Set<EntitlementToken>()
            .Where(t => t.RepositoryId == target.Id && t.Kind == TokenKind.Standard && !t.IsDeleted)
            .ToListAsync(cancellationToken);
        var byDigest = existing.ToDictionary(t => t.SecretDigest);
        var now = clock.GetUtcNow().UtcDateTime;
        int created = 0, updated = 0, deleted = 0;

        foreach (var model in wanted)
        {
            if (!byDigest.Remove(model.SecretDigest, out var copy))
            {
                copy = new EntitlementToken
                {
                    RepositoryId = target.Id,
                    Name = model.Name,
                    SecretDigest = model.SecretDigest,
                    SecretCiphertext = model.SecretCiphertext,
                    SecretHint = model.SecretHint,
                    CreatedAt = now,
                    CreatedBy = actor.Name,
                };
                db.Add(copy);
                created++;
            }
            else
            {
                updated++;
            }
            CopyDefinition(model, copy, now);
        }
        foreach (var leftover in byDigest.Values)
        {
            TokenRows.MarkDeleted(leftover, now);
            deleted++;
        }

        audit.Record(db, actor, AuditActions.Update, AuditEntityTypes.Repository, target.Slug,
            $"Synced tokens from {source.Slug}: {created} created, {updated} updated, {deleted} deleted.");
        await TokenRows.SaveAsync(db, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new SyncResult(created, updated, deleted);
    }

    private static void CopyDefinition(EntitlementToken model, EntitlementToken copy, DateTime now)
    {
        copy.Name = model.Name;
        copy.CustomerId = model.CustomerId;
        copy.IsActive = model.IsActive;
        copy.IsCustomSecret = model.IsCustomSecret;
        copy.LimitDateFrom = model.LimitDateFrom;
        copy.LimitDateTo = model.LimitDateTo;
        copy.LimitDownloads = model.LimitDownloads;
        copy.LimitClients = model.LimitClients;
        copy.LimitBandwidthBytes = model.LimitBandwidthBytes;
        copy.LimitPackageQuery = model.LimitPackageQuery;
        copy.AllowedCidrs = model.AllowedCidrs;
        copy.ResetPeriod = model.ResetPeriod;
        copy.NextResetAt = model.NextResetAt;
        copy.MetadataJson = model.MetadataJson;
        copy.UpdatedAt = now;
    }
}
