using EntitlementPortal.Data;
using EntitlementPortal.Features.Audit;
using EntitlementPortal.Features.Permissions;
using EntitlementPortal.Features.Shared;
using EntitlementPortal.Features.Webhooks;
using FluentValidation;
using FluentValidation.Results;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace EntitlementPortal.Features.Tokens;

/// <summary>Creating standard tokens and changing their definition; the secret only ever passes through <see cref="TokenSecretProtector"/>.</summary>
public sealed class TokenEditor(
    IDbContextFactory<AppDbContext> dbFactory,
    IValidator<TokenInput> validator,
    TokenAccess access,
    TokenSecretProtector secrets,
    IOptionsMonitor<PlanOptions> plan,
    AuditTrail audit,
    WebhookEvents webhooks,
    TimeProvider clock)
{
    /// <summary>Creates a standard token; the returned view carries the secret so the caller can hand it over.</summary>
    public async Task<TokenView> CreateAsync(Actor actor, string repo, TokenInput input, CancellationToken cancellationToken = default)
    {
        await access.EnsureAsync(actor, repo, Permission.ManageTokens, cancellationToken);
        TokenAccess.EnsureMayAttachCustomer(actor, input.CustomerId);
        var wanted = input.Normalized();
        await validator.EnsureValidAsync(wanted, cancellationToken);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var repository = await TokenRows.FindPrivateRepositoryAsync(db, repo, cancellationToken);
        TokenRows.EnsureEulaExists(repository, wanted);
        var customerName = await TokenRows.EnsureCustomerAsync(db, wanted.CustomerId, wanted.IsActive, cancellationToken);
        var secret = wanted.Token ?? TokenSecret.Generate();
        var digest = secrets.Digest(secret);
        await TokenRows.EnsureSecretFreeAsync(db, repository.Id, digest, exceptId: null, cancellationToken);

        var now = clock.GetUtcNow().UtcDateTime;
        var token = new EntitlementToken
        {
            RepositoryId = repository.Id,
            Name = wanted.Name,
            SecretDigest = digest,
            SecretCiphertext = secrets.Protect(secret),
            SecretHint = TokenSecret.Mask(secret),
            IsCustomSecret = wanted.Token is not null,
            CreatedAt = now,
            CreatedBy = actor.Name,
            UpdatedAt = now,
        };
        TokenRows.ApplyDefinition(token, wanted, now);

        // One transaction for the allowance check, the row and its audit entry (which names the new id).
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            if (token.IsActive)
            {
                await PlanAllowance.From(plan.CurrentValue).EnsureRoomForOneAsync(db, cancellationToken);
            }
            db.Add(token);
            await TokenRows.SaveAsync(db, cancellationToken);
            audit.Record(db, actor, AuditActions.Create, AuditEntityTypes.Token, token.Id.ToString(),
                $"Created token '{token.Name}' in {repository.Slug}{(customerName is null ? "" : $" for customer '{customerName}'")}"
                + $" ({(token.IsCustomSecret ? "custom" : "generated")} secret {token.SecretHint}): {TokenRows.Summary(token)}.");
            await webhooks.RaiseTokenAsync(db, WebhookEventNames.TokenCreated, token, repository.Slug, cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        return TokenViewMapping.ToView(token, repository.Slug, customerName, secret);
    }

    /// <summary>
    /// Creates many standard tokens of one repository in one transaction, each with a generated secret and the rules
    /// of <see cref="CreateAsync"/> (validation, customer, plan allowance for the whole set, one audit entry each).
    /// For imports and demo data, where one round trip per token would take minutes. Returns the ids in input order.
    /// </summary>
    public async Task<IReadOnlyList<int>> CreateManyAsync(
        Actor actor, string repo, IReadOnlyList<TokenInput> inputs, CancellationToken cancellationToken = default)
    {
        await access.EnsureAsync(actor, repo, Permission.ManageTokens, cancellationToken);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var repository = await TokenRows.FindPrivateRepositoryAsync(db, repo, cancellationToken);
        var customerNames = new Dictionary<int, string?>();
        var checkedCustomers = new HashSet<(int, bool)>();
        var wanted = new List<TokenInput>(inputs.Count);
        foreach (var input in inputs)
        {
            TokenAccess.EnsureMayAttachCustomer(actor, input.CustomerId);
            var normalized = input.Normalized();
            if (normalized.Token is not null)
            {
                // Custom secrets need the one-by-one duplicate check of CreateAsync.
                throw new ValidationException([new ValidationFailure(nameof(TokenInput.Token), "Tokens created together get generated secrets.")]);
            }
            await validator.EnsureValidAsync(normalized, cancellationToken);
            // The customer rules depend on the customer and on whether the token is active: checked once per pair.
            if (normalized.CustomerId is { } customerId && checkedCustomers.Add((customerId, normalized.IsActive)))
            {
                customerNames[customerId] = await TokenRows.EnsureCustomerAsync(db, customerId, normalized.IsActive, cancellationToken);
            }
            wanted.Add(normalized);
        }

        foreach (var input in wanted)
        {
            TokenRows.EnsureEulaExists(repository, input);
        }
        var now = clock.GetUtcNow().UtcDateTime;
        var created = wanted.Select(input =>
        {
            var secret = TokenSecret.Generate();
            var token = new EntitlementToken
            {
                RepositoryId = repository.Id,
                Name = input.Name,
                SecretDigest = secrets.Digest(secret),
                SecretCiphertext = secrets.Protect(secret),
                SecretHint = TokenSecret.Mask(secret),
                CreatedAt = now,
                CreatedBy = actor.Name,
                UpdatedAt = now,
            };
            TokenRows.ApplyDefinition(token, input, now);
            return token;
        }).ToList();

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var activating = created.Count(t => t.IsActive);
        var allowance = PlanAllowance.From(plan.CurrentValue);
        if (activating > 0 && !allowance.IsUnlimited)
        {
            await allowance.HoldAsync(db, cancellationToken);
            if (await PlanAllowance.CountActiveAsync(db, cancellationToken) + activating > allowance.Max)
            {
                throw new ConflictException(nameof(TokenInput.IsActive),
                    $"The plan allows {allowance.Max} active {(allowance.Max == 1 ? "token" : "tokens")}: {activating} more do not fit. Raise Plan:MaxActiveTokens or create fewer active tokens.");
            }
        }
        db.AddRange(created);
        await TokenRows.SaveAsync(db, cancellationToken);
        foreach (var token in created)
        {
            var customerName = token.CustomerId is { } id ? customerNames[id] : null;
            audit.Record(db, actor, AuditActions.Create, AuditEntityTypes.Token, token.Id.ToString(),
                $"Created token '{token.Name}' in {repository.Slug}{(customerName is null ? "" : $" for customer '{customerName}'")}"
                + $" (generated secret {token.SecretHint}): {TokenRows.Summary(token)}.");
            await webhooks.RaiseTokenAsync(db, WebhookEventNames.TokenCreated, token, repository.Slug, cancellationToken);
        }
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return created.Select(t => t.Id).ToList();
    }

    /// <summary>Changes a token's fields; a non-empty <see cref="TokenInput.Token"/> replaces the secret at once.</summary>
    public async Task<TokenView> UpdateAsync(Actor actor, string repo, int id, TokenInput input, CancellationToken cancellationToken = default)
    {
        var standings = await access.EnsureAsync(actor, repo, Permission.ManageTokens, cancellationToken);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var token = await TokenRows.FindStandardAsync(db, repo, id, cancellationToken);
        TokenAccess.EnsureMayAttachCustomer(actor, input.CustomerId, token.CustomerId);
        var wanted = input.Normalized();
        await validator.EnsureValidAsync(wanted, cancellationToken);
        TokenRows.EnsureNotDeleted(token);
        var enabling = !token.IsActive && wanted.IsActive;
        if (enabling)
        {
            TokenRows.EnsurePrivate(token);
        }
        var customerName = await TokenRows.EnsureCustomerAsync(db, wanted.CustomerId, wanted.IsActive, cancellationToken);
        var now = clock.GetUtcNow().UtcDateTime;

        string? newSecret = null;
        if (wanted.Token is { } custom && secrets.Digest(custom) != token.SecretDigest)
        {
            newSecret = custom;
            await TokenRows.EnsureSecretFreeAsync(db, token.RepositoryId, secrets.Digest(newSecret), exceptId: token.Id, cancellationToken);
            TokenRows.ReplaceSecret(token, secrets, newSecret, isCustom: true, actor, now, grace: null);
        }
        TokenRows.EnsureEulaExists(token.Repository!, wanted);
        TokenRows.ApplyDefinition(token, wanted, now, recomputeReset: token.ResetPeriod != wanted.ResetPeriod);

        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            if (enabling)
            {
                await PlanAllowance.From(plan.CurrentValue).EnsureRoomForOneAsync(db, cancellationToken);
            }
            if (db.ChangeTracker.HasChanges())
            {
                var changes = AuditTrail.DescribeChanges(db.Entry(token));
                token.UpdatedAt = now;
                audit.Record(db, actor, AuditActions.Update, AuditEntityTypes.Token, token.Id.ToString(),
                    $"'{token.Name}' in {repo}: {changes}{(newSecret is null ? "" : $"; secret replaced ({token.SecretHint})")}");
                var events = UpdateEvents(db.Entry(token));
                var limitsChanged = LimitsChanged(db.Entry(token));
                // Writes first, then the webhook read: a transaction that starts with a write holds SQLite's write lock.
                await TokenRows.SaveAsync(db, cancellationToken);
                if (limitsChanged)
                {
                    await WebhookNotices.ForgetLimitsReachedAsync(db, token.Id, cancellationToken);
                }
                foreach (var name in events)
                {
                    await webhooks.RaiseTokenAsync(db, name, token, repo, cancellationToken);
                }
                await db.SaveChangesAsync(cancellationToken);
            }
            await transaction.CommitAsync(cancellationToken);
        }
        return TokenViewMapping.ToView(token, repo, customerName, access.SecretFor(standings, token));
    }

    private static bool LimitsChanged(Microsoft.EntityFrameworkCore.ChangeTracking.EntityEntry<EntitlementToken> entry) =>
        new[] { nameof(EntitlementToken.LimitDownloads), nameof(EntitlementToken.LimitClients), nameof(EntitlementToken.LimitBandwidthBytes) }
            .Select(entry.Property).Any(p => p.IsModified && !Equals(p.OriginalValue, p.CurrentValue));

    /// <summary>token.enabled or token.disabled when the switch flipped, token.updated when anything else changed.</summary>
    private static List<string> UpdateEvents(Microsoft.EntityFrameworkCore.ChangeTracking.EntityEntry<EntitlementToken> entry)
    {
        var events = new List<string>();
        var active = entry.Property(t => t.IsActive);
        if (active.IsModified && !Equals(active.OriginalValue, active.CurrentValue))
        {
            events.Add(entry.Entity.IsActive ? WebhookEventNames.TokenEnabled : WebhookEventNames.TokenDisabled);
        }
        var others = entry.Properties.Any(p => p.IsModified && p.Metadata.Name is not (nameof(EntitlementToken.IsActive))
            and not nameof(EntitlementToken.UpdatedAt) and not nameof(EntitlementToken.SuspendedWithCustomer)
            && !Equals(p.OriginalValue, p.CurrentValue));
        if (others)
        {
            events.Add(WebhookEventNames.TokenUpdated);
        }
        return events;
    }
}
