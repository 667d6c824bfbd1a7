using EntitlementPortal.Data;
using EntitlementPortal.Features.Audit;
using EntitlementPortal.Features.Customers;
using EntitlementPortal.Features.Packages.Query;
using EntitlementPortal.Features.Permissions;
using EntitlementPortal.Features.Shared;
using FluentValidation;
using FluentValidation.Results;
using Microsoft.EntityFrameworkCore;

namespace EntitlementPortal.Features.Tokens;

public sealed partial class TokenService
{
    /// <summary>Creates a standard token; the returned view carries the secret so the caller can hand it over.</summary>
    public async Task<TokenView> CreateAsync(Actor actor, string repo, TokenInput input, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var standings = await StandingsAsync(db, actor, repo, Permission.ManageTokens, cancellationToken);
        EnsureMayAttachCustomer(actor, input.CustomerId);
        Normalize(input);
        await validator.EnsureValidAsync(input, cancellationToken);
        var repository = await FindPrivateRepositoryAsync(db, repo, cancellationToken);
        var customerName = await EnsureCustomerAsync(db, input.CustomerId, input.IsActive, cancellationToken);
        var secret = string.IsNullOrEmpty(input.Token) ? TokenSecret.Generate() : input.Token;
        var digest = secrets.Digest(secret);
        await EnsureSecretFreeAsync(db, repository.Id, digest, exceptId: null, cancellationToken);

        var now = clock.GetUtcNow().UtcDateTime;
        var token = new EntitlementToken
        {
            RepositoryId = repository.Id,
            Name = input.Name,
            SecretDigest = digest,
            SecretCiphertext = secrets.Protect(secret),
            SecretHint = TokenSecret.Mask(secret),
            IsCustomSecret = !string.IsNullOrEmpty(input.Token),
            CreatedAt = now,
            CreatedBy = actor.Name,
            UpdatedAt = now,
        };
        Apply(token, input, now);

        // One transaction for the allowance check, the row and its audit entry (which names the new id).
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            if (token.IsActive)
            {
                await EnsureAllowanceAsync(db, cancellationToken);
            }
            db.Add(token);
            await SaveAsync(db, cancellationToken);
            audit.Record(db, actor, AuditActions.Create, AuditEntityTypes.Token, token.Id.ToString(),
                $"Created token '{token.Name}' in {repository.Slug}{(customerName is null ? "" : $" for customer '{customerName}'")}"
                + $" ({(token.IsCustomSecret ? "custom" : "generated")} secret {token.SecretHint}): {Summary(token)}.");
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        return ToView(token, repository.Slug, customerName, secret);
    }

    /// <summary>
    /// Creates many standard tokens of one repository in one transaction, each with a generated secret and the rules
    /// of <see cref="CreateAsync"/> (validation, customer, plan allowance for the whole set, one audit entry each).
    /// For imports and demo data, where one round trip per token would take minutes. Returns the ids in input order.
    /// </summary>
    public async Task<IReadOnlyList<int>> CreateManyAsync(Actor actor, string repo, IReadOnlyList<TokenInput> inputs, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await StandingsAsync(db, actor, repo, Permission.ManageTokens, cancellationToken);
        var repository = await FindPrivateRepositoryAsync(db, repo, cancellationToken);
        var customerNames = new Dictionary<int, string?>();
        var checkedCustomers = new HashSet<(int, bool)>();
        foreach (var input in inputs)
        {
            EnsureMayAttachCustomer(actor, input.CustomerId);
            Normalize(input);
            if (input.Token is not null)
            {
                // Custom secrets need the one-by-one duplicate check of CreateAsync.
                throw new ValidationException([new ValidationFailure(nameof(TokenInput.Token), "Tokens created together get generated secrets.")]);
            }
            await validator.EnsureValidAsync(input, cancellationToken);
            // The customer rules depend on the customer and on whether the token is active: checked once per pair.
            if (input.CustomerId is { } customerId && checkedCustomers.Add((customerId, input.IsActive)))
            {
                customerNames[customerId] = await EnsureCustomerAsync(db, customerId, input.IsActive, cancellationToken);
            }
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var created = inputs.Select(input =>
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
            Apply(token, input, now);
            return token;
        }).ToList();

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var activating = created.Count(t => t.IsActive);
        if (activating > 0 && await HoldAllowanceAsync(db, cancellationToken) is { } max
            && await CountActiveAsync(db, cancellationToken) + activating > max)
        {
            throw new ConflictException(nameof(TokenInput.IsActive),
                $"The plan allows {max} active {(max == 1 ? "token" : "tokens")}: {activating} more do not fit. Raise Plan:MaxActiveTokens or create fewer active tokens.");
        }
        db.AddRange(created);
        await SaveAsync(db, cancellationToken);
        foreach (var token in created)
        {
            var customerName = token.CustomerId is { } id ? customerNames[id] : null;
            audit.Record(db, actor, AuditActions.Create, AuditEntityTypes.Token, token.Id.ToString(),
                $"Created token '{token.Name}' in {repository.Slug}{(customerName is null ? "" : $" for customer '{customerName}'")}"
                + $" (generated secret {token.SecretHint}): {Summary(token)}.");
        }
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return created.Select(t => t.Id).ToList();
    }

    /// <summary>Changes a token's fields; a non-empty <see cref="TokenInput.Token"/> replaces the secret at once.</summary>
    public async Task<TokenView> UpdateAsync(Actor actor, string repo, int id, TokenInput input, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var standings = await StandingsAsync(db, actor, repo, Permission.ManageTokens, cancellationToken);
        var token = await FindStandardAsync(db, repo, id, cancellationToken);
        EnsureMayAttachCustomer(actor, input.CustomerId, token.CustomerId);
        Normalize(input);
        await validator.EnsureValidAsync(input, cancellationToken);
        EnsureNotDeleted(token);
        if (input.IsActive && !token.IsActive)
        {
            EnsurePrivate(token);
        }
        var customerName = await EnsureCustomerAsync(db, input.CustomerId, input.IsActive, cancellationToken);
        var now = clock.GetUtcNow().UtcDateTime;
        var enabling = !token.IsActive && input.IsActive;

        string? newSecret = null;
        if (!string.IsNullOrEmpty(input.Token) && secrets.Digest(input.Token) != token.SecretDigest)
        {
            newSecret = input.Token;
            var digest = secrets.Digest(newSecret);
            await EnsureSecretFreeAsync(db, token.RepositoryId, digest, exceptId: token.Id, cancellationToken);
            ReplaceSecret(token, newSecret, isCustom: true, actor, now, grace: null);
        }
        var periodChanged = token.ResetPeriod != input.ResetPeriod;
        Apply(token, input, now, recomputeReset: periodChanged);

        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            if (enabling)
            {
                await EnsureAllowanceAsync(db, cancellationToken);
            }
            if (db.ChangeTracker.HasChanges())
            {
                var changes = AuditTrail.DescribeChanges(db.Entry(token));
                token.UpdatedAt = now;
                audit.Record(db, actor, AuditActions.Update, AuditEntityTypes.Token, token.Id.ToString(),
                    $"'{token.Name}' in {repo}: {changes}{(newSecret is null ? "" : $"; secret replaced ({token.SecretHint})")}");
                await SaveAsync(db, cancellationToken);
            }
            await transaction.CommitAsync(cancellationToken);
        }
        return ToView(token, repo, customerName, SecretFor(standings, token));
    }

    private void Apply(EntitlementToken token, TokenInput input, DateTime now, bool recomputeReset = true)
    {
        token.Name = input.Name;
        token.CustomerId = input.CustomerId;
        token.IsActive = input.IsActive;
        token.LimitDateFrom = input.LimitDateFrom;
        token.LimitDateTo = input.LimitDateTo;
        token.LimitDownloads = input.LimitDownloads;
        token.LimitClients = input.LimitClients;
        token.LimitBandwidthBytes = input.LimitBandwidthBytes;
        // Stored in canonical form, so equal queries look equal in lists, the audit log and sync comparisons.
        token.LimitPackageQuery = input.LimitPackageQuery is null ? null : PackageQuery.Parse(input.LimitPackageQuery).Normalized;
        token.AllowedCidrs = CidrList.ToStored(CidrList.Normalize(input.AllowedCidrs).Networks);
        token.ResetPeriod = input.ResetPeriod;
        if (recomputeReset)
        {
            token.NextResetAt = ResetSchedule.Next(input.ResetPeriod, now);
        }
        token.MetadataJson = JsonMetadata.Normalize(input.MetadataJson);
    }

    private void ReplaceSecret(EntitlementToken token, string secret, bool isCustom, Actor actor, DateTime now, TimeSpan? grace)
    {
        token.PreviousSecretDigest = grace is null ? null : token.SecretDigest;
        token.PreviousSecretValidUntil = grace is { } window ? now + window : null;
        token.SecretDigest = secrets.Digest(secret);
        token.SecretCiphertext = secrets.Protect(secret);
        token.SecretHint = TokenSecret.Mask(secret);
        token.IsCustomSecret = isCustom;
        token.RefreshedAt = now;
        token.RefreshedBy = actor.Name;
    }

    private static string Summary(EntitlementToken t) => TokenRestrictions.Describe(
        t.LimitDateFrom, t.LimitDateTo, t.LimitDownloads, t.LimitClients, t.LimitBandwidthBytes, t.LimitPackageQuery,
        CidrList.FromStored(t.AllowedCidrs), t.ResetPeriod);

    /// <summary>The customer's name; refuses an unknown customer, and an active token for a revoked one.</summary>
    private static async Task<string?> EnsureCustomerAsync(AppDbContext db, int? customerId, bool active, CancellationToken cancellationToken)
    {
        if (customerId is not { } id)
        {
            return null;
        }
        var customer = await db.Set<Customer>().Where(c => c.Id == id).Select(c => new { c.Name, c.Status }).FirstOrDefaultAsync(cancellationToken)
            ?? throw new ValidationException([new ValidationFailure(nameof(TokenInput.CustomerId), $"Customer {id} does not exist.")]);
        if (active && customer.Status == CustomerStatus.Revoked)
        {
            throw new ValidationException([new ValidationFailure(nameof(TokenInput.IsActive),
                $"Customer '{customer.Name}' is revoked: its tokens must stay disabled until the customer is reinstated.")]);
        }
        return customer.Name;
    }

    private static async Task EnsureSecretFreeAsync(AppDbContext db, int repositoryId, string digest, int? exceptId, CancellationToken cancellationToken)
    {
        var taken = await db.Set<EntitlementToken>().AnyAsync(t => t.RepositoryId == repositoryId && t.Id != exceptId
            && (t.SecretDigest == digest || t.PreviousSecretDigest == digest), cancellationToken);
        if (taken)
        {
            throw DuplicateSecret();
        }
    }

    private static ConflictException DuplicateSecret() =>
        new(nameof(TokenInput.Token), "Another token in this repository already uses that token string.");

    /// <summary>A token whose repository went public stays disabled: public repositories need no tokens.</summary>
    private static void EnsurePrivate(EntitlementToken token)
    {
        if (token.Repository?.Visibility == Repositories.RepositoryVisibility.Public)
        {
            throw new ConflictException(nameof(TokenInput.IsActive),
                $"Repository '{token.Repository.Slug}' is public: its tokens stay disabled. Make it private to use tokens again.");
        }
    }

    private static void EnsureNotDeleted(EntitlementToken token)
    {
        if (token.IsDeleted)
        {
            throw new ConflictException(nameof(TokenInput.IsActive), "This token was deleted; deleted tokens cannot be changed or re-enabled.");
        }
    }

    private static async Task SaveAsync(AppDbContext db, CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (DatabaseErrors.IsUniqueViolation(ex))
        {
            // Lost a race past EnsureSecretFreeAsync: the unique index on (repository, digest) decided.
            throw DuplicateSecret();
        }
    }

    private static void Normalize(TokenInput input)
    {
        input.Name = (input.Name ?? "").Trim();
        input.Token = string.IsNullOrWhiteSpace(input.Token) ? null : input.Token.Trim();
        input.LimitPackageQuery = string.IsNullOrWhiteSpace(input.LimitPackageQuery) ? null : input.LimitPackageQuery.Trim();
        input.MetadataJson = string.IsNullOrWhiteSpace(input.MetadataJson) ? null : input.MetadataJson.Trim();
        input.AllowedCidrs ??= [];
        input.LimitDateFrom = AsUtc(input.LimitDateFrom);
        input.LimitDateTo = AsUtc(input.LimitDateTo);
    }

    private static DateTime? AsUtc(DateTime? value) => value is not { } v ? null
        : v.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(v, DateTimeKind.Utc) : v.ToUniversalTime();
}
