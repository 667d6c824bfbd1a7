using EntitlementPortal.Data;
using EntitlementPortal.Features.Customers;
using EntitlementPortal.Features.Packages.Query;
using EntitlementPortal.Features.Repositories;
using EntitlementPortal.Features.Shared;
using FluentValidation;
using FluentValidation.Results;
using Microsoft.EntityFrameworkCore;

namespace EntitlementPortal.Features.Tokens;

/// <summary>
/// The rules every change of a standard token applies to its row, inside the one unit of work of that change
/// (the token services' operations). Nothing here opens a context or keeps state.
/// </summary>
internal static class TokenRows
{
    public static async Task<EntitlementToken> FindStandardAsync(AppDbContext db, string repo, int id, CancellationToken cancellationToken) =>
        await db.Set<EntitlementToken>().Include(t => t.Repository).Include(t => t.Customer)
            .FirstOrDefaultAsync(t => t.Id == id && t.Repository!.Slug == repo && t.Kind == TokenKind.Standard, cancellationToken)
        ?? throw new NotFoundException($"Token {id} in repository '{repo}'");

    public static async Task<Repository> FindPrivateRepositoryAsync(AppDbContext db, string repo, CancellationToken cancellationToken)
    {
        var repository = await db.Set<Repository>().FirstOrDefaultAsync(r => r.Slug == repo, cancellationToken)
            ?? throw new NotFoundException($"Repository '{repo}'");
        if (repository.Visibility == RepositoryVisibility.Public)
        {
            throw new ValidationException([new ValidationFailure("repo",
                $"Repository '{repo}' is public: it serves downloads without tokens. Make it private to give out tokens.")]);
        }
        return repository;
    }

    /// <summary>The customer's name; refuses an unknown customer, and an active token for a revoked one.</summary>
    public static async Task<string?> EnsureCustomerAsync(AppDbContext db, int? customerId, bool active, CancellationToken cancellationToken)
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

    public static async Task EnsureSecretFreeAsync(AppDbContext db, int repositoryId, string digest, int? exceptId, CancellationToken cancellationToken)
    {
        var taken = await db.Set<EntitlementToken>().AnyAsync(t => t.RepositoryId == repositoryId && t.Id != exceptId
            && (t.SecretDigest == digest || t.PreviousSecretDigest == digest), cancellationToken);
        if (taken)
        {
            throw DuplicateSecret();
        }
    }

    /// <summary>A token whose repository went public stays disabled: public repositories need no tokens.</summary>
    public static void EnsurePrivate(EntitlementToken token)
    {
        if (token.Repository?.Visibility == RepositoryVisibility.Public)
        {
            throw new ConflictException(nameof(TokenInput.IsActive),
                $"Repository '{token.Repository.Slug}' is public: its tokens stay disabled. Make it private to use tokens again.");
        }
    }

    /// <summary>A token can only wait for an EULA its repository has: otherwise nobody could ever accept it.</summary>
    public static void EnsureEulaExists(Repository repository, TokenInput input)
    {
        if (input.EulaRequired && string.IsNullOrWhiteSpace(repository.Eula))
        {
            throw new ValidationException([new ValidationFailure(nameof(TokenInput.EulaRequired),
                $"Repository '{repository.Slug}' has no licence agreement: add one to the repository before requiring it.")]);
        }
    }

    public static void EnsureNotDeleted(EntitlementToken token)
    {
        if (token.IsDeleted)
        {
            throw new ConflictException(nameof(TokenInput.IsActive), "This token was deleted; deleted tokens cannot be changed or re-enabled.");
        }
    }

    public static async Task SaveAsync(AppDbContext db, CancellationToken cancellationToken)
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

    /// <summary>Writes the definition the input describes (everything but the secret and the usage) onto the row.</summary>
    public static void ApplyDefinition(EntitlementToken token, TokenInput input, DateTime now, bool recomputeReset = true)
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
        token.EulaRequired = input.EulaRequired;
        token.AfterExpiry = input.AfterExpiry;
        if (recomputeReset)
        {
            token.NextResetAt = ResetSchedule.Next(input.ResetPeriod, now);
        }
        token.MetadataJson = JsonMetadata.Normalize(input.MetadataJson);
    }

    /// <summary>Gives the token a new secret; the old one keeps working for <paramref name="grace"/> when given.</summary>
    public static void ReplaceSecret(
        EntitlementToken token, TokenSecretProtector secrets, string secret, bool isCustom, Actor actor, DateTime now, TimeSpan? grace)
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

    /// <summary>A deleted token's secret never works again: its digest becomes a random tombstone (which also frees a custom string).</summary>
    public static void MarkDeleted(EntitlementToken token, DateTime now)
    {
        token.IsDeleted = true;
        token.IsActive = false;
        token.DeletedAt = now;
        token.UpdatedAt = now;
        token.SecretDigest = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        token.PreviousSecretDigest = null;
        token.PreviousSecretValidUntil = null;
    }

    /// <summary>
    /// Locks the tokens' rows for the rest of the transaction by a plain update (SQLite's single writer; a row lock
    /// on SQL Server and PostgreSQL; ADR 006). Whatever changes a token's usage takes its row with this first, before
    /// its client rows, so the usage ledger and a reset always lock in the same order and cannot deadlock.
    /// </summary>
    public static Task LockUsageAsync(IQueryable<EntitlementToken> tokens, CancellationToken cancellationToken) =>
        tokens.ExecuteUpdateAsync(s => s.SetProperty(t => t.Downloads, t => t.Downloads), cancellationToken);

    /// <summary>A reset starts the distinct-client count afresh: the clients and counted files are forgotten too.</summary>
    public static async Task ForgetClientsAsync(AppDbContext db, int tokenId, CancellationToken cancellationToken)
    {
        await db.Set<Downloads.TokenClient>().Where(c => c.TokenId == tokenId).ExecuteDeleteAsync(cancellationToken);
        await db.Set<Downloads.TokenFileDownload>().Where(f => f.TokenId == tokenId).ExecuteDeleteAsync(cancellationToken);
    }

    public static string Summary(EntitlementToken t) => TokenRestrictions.Describe(
        t.LimitDateFrom, t.LimitDateTo, t.LimitDownloads, t.LimitClients, t.LimitBandwidthBytes, t.LimitPackageQuery,
        CidrList.FromStored(t.AllowedCidrs), t.ResetPeriod);

    private static ConflictException DuplicateSecret() =>
        new(nameof(TokenInput.Token), "Another token in this repository already uses that token string.");
}
