using EntitlementPortal.Data;
using EntitlementPortal.Features.Audit;
using EntitlementPortal.Features.Permissions;
using EntitlementPortal.Features.Shared;
using FluentValidation;
using Microsoft.EntityFrameworkCore;

namespace EntitlementPortal.Features.ApiKeys;

public static class ApiKeyRules
{
    public const int NameMaxLength = 100;
}

public sealed record ApiKeyView(int Id, string Name, string Prefix, DateTime CreatedAt, DateTime? LastUsedAt, DateTime? RevokedAt)
{
    public bool IsActive => RevokedAt is null;
}

/// <summary>The secret is in here exactly once, right after creation; it is never stored or shown again.</summary>
public sealed record CreatedApiKey(ApiKeyView Key, string Secret);

public sealed class CreateApiKeyInput
{
    public string Name { get; set; } = "";
}

public sealed class CreateApiKeyInputValidator : AbstractValidator<CreateApiKeyInput>
{
    public CreateApiKeyInputValidator()
    {
        RuleFor(k => k.Name).NotEmpty().WithMessage("Name is required.").MaximumLength(ApiKeyRules.NameMaxLength);
    }
}

/// <summary>
/// Each signed-in user manages their own API keys; an administrator also manages anyone's (e.g. a "billing
/// bot" service account's). A key acts with its owner's roles.
/// </summary>
public sealed class ApiKeyService(
    IDbContextFactory<AppDbContext> dbFactory,
    IValidator<CreateApiKeyInput> validator,
    AuditTrail audit,
    TimeProvider clock)
{
    public Task<IReadOnlyList<ApiKeyView>> ListOwnAsync(Actor actor, CancellationToken cancellationToken = default) =>
        ListAsync(RequireUser(actor), cancellationToken);

    /// <summary>The keys of user <paramref name="userId"/>: that user themselves, or an administrator.</summary>
    public async Task<IReadOnlyList<ApiKeyView>> ListForUserAsync(Actor actor, string userId, CancellationToken cancellationToken = default)
    {
        await EnsureMayManageKeysOfAsync(actor, userId, cancellationToken);
        return await ListAsync(userId, cancellationToken);
    }

    public async Task<CreatedApiKey> CreateForUserAsync(Actor actor, string userId, CreateApiKeyInput input, CancellationToken cancellationToken = default)
    {
        var owner = await EnsureMayManageKeysOfAsync(actor, userId, cancellationToken);
        return await CreateCoreAsync(actor, userId, owner, input, cancellationToken);
    }

    public async Task RevokeForUserAsync(Actor actor, string userId, int id, CancellationToken cancellationToken = default)
    {
        await EnsureMayManageKeysOfAsync(actor, userId, cancellationToken);
        await RevokeCoreAsync(actor, userId, id, cancellationToken);
    }

    private async Task<IReadOnlyList<ApiKeyView>> ListAsync(string userId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Set<ApiKey>().AsNoTracking()
            .Where(k => k.UserId == userId)
            .OrderBy(k => k.RevokedAt != null).ThenByDescending(k => k.Id)
            .Select(k => new ApiKeyView(k.Id, k.Name, k.Prefix, k.CreatedAt, k.LastUsedAt, k.RevokedAt))
            .ToListAsync(cancellationToken);
    }

    public Task<CreatedApiKey> CreateAsync(Actor actor, CreateApiKeyInput input, CancellationToken cancellationToken = default) =>
        CreateCoreAsync(actor, RequireUser(actor), ownerEmail: null, input, cancellationToken);

    private async Task<CreatedApiKey> CreateCoreAsync(
        Actor actor, string userId, string? ownerEmail, CreateApiKeyInput input, CancellationToken cancellationToken)
    {
        var normalized = new CreateApiKeyInput { Name = (input.Name ?? "").Trim() };
        await validator.EnsureValidAsync(normalized, cancellationToken);

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var secret = ApiKeySecret.Generate();
        var key = await AddKeyAsync(db, actor, userId, normalized.Name, secret, cancellationToken,
            userId == actor.UserId ? null : ownerEmail);
        return new CreatedApiKey(ToView(key), secret);
    }

    /// <summary>Start-up: gives the bootstrap administrator the configured key, once.</summary>
    internal async Task EnsureBootstrapKeyAsync(string userId, string secret, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var hash = ApiKeySecret.Hash(secret);
        if (!await db.Set<ApiKey>().AnyAsync(k => k.SecretHash == hash, cancellationToken))
        {
            try
            {
                await AddKeyAsync(db, Actor.System, userId, "Bootstrap key", secret, cancellationToken);
            }
            catch (DbUpdateException ex) when (DatabaseErrors.IsUniqueViolation(ex))
            {
                // Another instance starting on the same database stored the same key a moment earlier: it exists.
            }
        }
    }

    public Task RevokeAsync(Actor actor, int id, CancellationToken cancellationToken = default) =>
        RevokeCoreAsync(actor, RequireUser(actor), id, cancellationToken);

    private async Task RevokeCoreAsync(Actor actor, string userId, int id, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        // Someone else's key is "not found", not "forbidden": ids of other people's keys are not disclosed.
        var key = await db.Set<ApiKey>().FirstOrDefaultAsync(k => k.Id == id && k.UserId == userId, cancellationToken)
            ?? throw new NotFoundException($"API key {id}");
        if (key.RevokedAt is null)
        {
            key.RevokedAt = clock.GetUtcNow().UtcDateTime;
            audit.Record(db, actor, AuditActions.Revoke, AuditEntityTypes.ApiKey, key.Id.ToString(),
                $"Revoked API key '{key.Name}' ({key.Prefix}…){(userId == actor.UserId ? "" : $" of user {userId}")}.");
            await db.SaveChangesAsync(cancellationToken);
        }
    }

    private async Task<ApiKey> AddKeyAsync(
        AppDbContext db, Actor actor, string userId, string name, string secret, CancellationToken cancellationToken,
        string? onBehalfOf = null)
    {
        var key = new ApiKey
        {
            UserId = userId,
            Name = name,
            Prefix = ApiKeySecret.PrefixOf(secret),
            SecretHash = ApiKeySecret.Hash(secret),
            CreatedAt = clock.GetUtcNow().UtcDateTime,
        };
        db.Add(key);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        audit.Record(db, actor, AuditActions.Create, AuditEntityTypes.ApiKey, key.Id.ToString(), $"Created API key '{name}' ({key.Prefix}…){(onBehalfOf is null ? "" : $" for user '{onBehalfOf}'")}.");
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return key;
    }

    private static ApiKeyView ToView(ApiKey k) => new(k.Id, k.Name, k.Prefix, k.CreatedAt, k.LastUsedAt, k.RevokedAt);

    /// <summary>The owner's e-mail address; a stranger's keys are forbidden, an unknown owner is "not found" (to administrators).</summary>
    private async Task<string?> EnsureMayManageKeysOfAsync(Actor actor, string userId, CancellationToken cancellationToken)
    {
        RequireUser(actor);
        if (userId != actor.UserId)
        {
            PermissionCheck.Ensure(actor, Permission.ManageUsers);
        }
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var owner = await db.Users.AsNoTracking().Where(u => u.Id == userId).Select(u => new { u.Email }).FirstOrDefaultAsync(cancellationToken)
            ?? throw new NotFoundException($"User '{userId}'");
        return owner.Email;
    }

    private static string RequireUser(Actor actor) =>
        actor.UserId ?? throw new ForbiddenException("Sign in to manage API keys.");
}
