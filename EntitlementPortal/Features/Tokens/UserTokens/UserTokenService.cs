using EntitlementPortal.Data;
using EntitlementPortal.Features.Permissions;
using EntitlementPortal.Features.Audit;
using EntitlementPortal.Features.Repositories;
using EntitlementPortal.Features.Repositories.Privileges;
using EntitlementPortal.Features.Shared;
using Microsoft.EntityFrameworkCore;

namespace EntitlementPortal.Features.Tokens.UserTokens;

/// <summary>A member's user token as a repository admin sees it: who, when, how much; never the secret.</summary>
public sealed record MemberUserToken(
    int Id, string UserId, string? UserName, DateTime CreatedAt, DateTime? LastDownloadAt, long Downloads, string SecretHint);

/// <summary>
/// Automatic user tokens: one per user per private repository the user can read, made on first use, refreshable
/// by its owner only, never editable. Every permission decision is one private method below, so they can later
/// read a central permission table instead.
/// </summary>
public sealed class UserTokenService(
    IDbContextFactory<AppDbContext> dbFactory,
    RepositoryService repositories,
    RepositoryAccess access,
    PermissionCheck permissions,
    TokenSecretProtector secrets,
    AuditTrail audit,
    TimeProvider clock)
{
    /// <summary>The caller's user token for the repository (with its secret), created on the first call.</summary>
    public async Task<TokenView> GetOrCreateAsync(Actor actor, string repo, CancellationToken cancellationToken = default)
    {
        var (repository, userId) = await EnsureMayHaveUserTokenAsync(actor, repo, cancellationToken);
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            if (await FindOwnAsync(db, repository.Id, userId, cancellationToken) is { } existing)
            {
                await EnableAgainAsync(db, actor, existing, repository.Slug, cancellationToken);
                return Owned(existing, repository.Slug);
            }
            if (await TryCreateAsync(db, actor, repository, userId, cancellationToken) is { } created)
            {
                return created;
            }
        }
        // Another instance (or request) created it between our look-up and our insert: the unique index decided,
        // and its row is the user's one token.
        await using var again = await dbFactory.CreateDbContextAsync(cancellationToken);
        var winner = await FindOwnAsync(again, repository.Id, userId, cancellationToken)
            ?? throw new ConflictException("token", "Your user token could not be created; please try again.");
        return Owned(winner, repository.Slug);
    }

    /// <summary>
    /// A new secret for the caller's own user token; the old one stops working at once. A caller without one yet
    /// simply gets a new token (its secret is new too), so "refresh" never fails for a member.
    /// </summary>
    public async Task<TokenView> RefreshAsync(Actor actor, string repo, CancellationToken cancellationToken = default)
    {
        var (repository, userId) = await EnsureMayHaveUserTokenAsync(actor, repo, cancellationToken);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var token = await FindOwnAsync(db, repository.Id, userId, cancellationToken);
        if (token is null)
        {
            return await GetOrCreateAsync(actor, repo, cancellationToken);
        }
        var secret = TokenSecret.Generate();
        var now = clock.GetUtcNow().UtcDateTime;
        SetSecret(token, secret);
        token.PreviousSecretDigest = null;
        token.PreviousSecretValidUntil = null;
        token.IsActive = true;
        token.RefreshedAt = now;
        token.RefreshedBy = actor.Name;
        token.UpdatedAt = now;
        audit.Record(db, actor, AuditActions.Update, AuditEntityTypes.Token, token.Id.ToString(),
            $"Refreshed the secret of the user token of '{actor.Name}' in {repository.Slug} (now {token.SecretHint}); the old secret stopped working.");
        await db.SaveChangesAsync(cancellationToken);
        return TokenViewMapping.ToView(token, repository.Slug, null, secret);
    }

    /// <summary>
    /// The caller's user tokens that still work: private repositories the caller can still read that have user
    /// tokens on. Tokens of repositories the caller lost access to are not listed (they refuse downloads anyway).
    /// </summary>
    public async Task<PagedResult<TokenView>> ListMineAsync(Actor actor, PageRequest page, CancellationToken cancellationToken = default)
    {
        var userId = EnsureIsUser(actor);
        // From the database, like every other user token decision (and the download side).
        var readable = await access.ReadableRepositoriesAsync(userId, cancellationToken);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var tokens = StillUsable(db, userId, readable);
        var total = await tokens.CountAsync(cancellationToken);
        var rows = await tokens.OrderBy(t => t.Repository!.Slug).Skip(page.Skip).Take(page.SafePageSize)
            .Select(t => new { Token = t, Repo = t.Repository!.Slug }).ToListAsync(cancellationToken);
        return new PagedResult<TokenView>(rows.Select(r => Owned(r.Token, r.Repo)).ToList(), total);
    }

    /// <summary>Every member's user token in one repository, for its admins and administrators; no secrets.</summary>
    public async Task<IReadOnlyList<MemberUserToken>> ListForRepositoryAsync(Actor actor, string repo, CancellationToken cancellationToken = default)
    {
        var repository = await EnsureMaySeeMembersTokensAsync(actor, repo, cancellationToken);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Set<EntitlementToken>().AsNoTracking()
            .Where(t => t.RepositoryId == repository.Id && t.Kind == TokenKind.User && !t.IsDeleted)
            .OrderBy(t => t.User!.Email)
            .Select(t => new MemberUserToken(t.Id, t.UserId!, t.User!.Email ?? t.User.UserName, t.CreatedAt, t.LastDownloadAt, t.Downloads, t.SecretHint))
            .ToListAsync(cancellationToken);
    }

    /// <summary>True when the actor may see the members' user tokens of the repository (the portal shows the section then).</summary>
    public async Task<bool> MaySeeMembersTokensAsync(Actor actor, string repo, CancellationToken cancellationToken = default)
    {
        try
        {
            await EnsureMaySeeMembersTokensAsync(actor, repo, cancellationToken);
            return true;
        }
        catch (Exception ex) when (ex is ForbiddenException or NotFoundException)
        {
            return false;
        }
    }

    private async Task<TokenView?> TryCreateAsync(
        AppDbContext db, Actor actor, RepositorySummary repository, string userId, CancellationToken cancellationToken)
    {
        var secret = TokenSecret.Generate();
        var now = clock.GetUtcNow().UtcDateTime;
        var name = $"User token of {actor.Name}";
        var token = new EntitlementToken
        {
            RepositoryId = repository.Id,
            Kind = TokenKind.User,
            UserId = userId,
            Name = name.Length > TokenRules.NameMaxLength ? name[..TokenRules.NameMaxLength] : name,
            SecretDigest = "",
            SecretCiphertext = "",
            SecretHint = "",
            CreatedAt = now,
            CreatedBy = actor.Name,
            UpdatedAt = now,
        };
        SetSecret(token, secret);
        // The row and its audit entry (which names the new id) in one transaction.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        db.Add(token);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (DatabaseErrors.IsUniqueViolation(ex))
        {
            return null;
        }
        audit.Record(db, actor, AuditActions.Create, AuditEntityTypes.Token, token.Id.ToString(),
            $"Created the user token of '{actor.Name}' in {repository.Slug} (generated secret {token.SecretHint}).");
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return TokenViewMapping.ToView(token, repository.Slug, null, secret);
    }

    /// <summary>
    /// Making a repository public disables all its tokens; once it is private again its members' user tokens are
    /// theirs to use again: the owner's next visit enables it (no plan allowance: user tokens are not counted).
    /// </summary>
    private async Task EnableAgainAsync(AppDbContext db, Actor actor, EntitlementToken token, string repo, CancellationToken cancellationToken)
    {
        if (token.IsActive)
        {
            return;
        }
        token.IsActive = true;
        token.UpdatedAt = clock.GetUtcNow().UtcDateTime;
        audit.Record(db, actor, AuditActions.Update, AuditEntityTypes.Token, token.Id.ToString(),
            $"Enabled the user token of '{actor.Name}' in {repo} again.");
        await db.SaveChangesAsync(cancellationToken);
    }

    private void SetSecret(EntitlementToken token, string secret)
    {
        token.SecretDigest = secrets.Digest(secret);
        token.SecretCiphertext = secrets.Protect(secret);
        token.SecretHint = TokenSecret.Mask(secret);
        token.IsCustomSecret = false;
    }

    /// <summary>Only ever called for the owner's own token: the owner is the one person who sees its secret.</summary>
    private TokenView Owned(EntitlementToken token, string repo) =>
        TokenViewMapping.ToView(token, repo, null, secrets.Reveal(token.SecretCiphertext));

    private static Task<EntitlementToken?> FindOwnAsync(AppDbContext db, int repositoryId, string userId, CancellationToken cancellationToken) =>
        db.Set<EntitlementToken>().FirstOrDefaultAsync(
            t => t.RepositoryId == repositoryId && t.UserId == userId && t.Kind == TokenKind.User && !t.IsDeleted, cancellationToken);

    // ---- Permission decisions: one method each. ----

    /// <summary>
    /// Who may have (get, create, refresh) a user token in a repository: a signed-in user with at least Read on a
    /// private repository with user tokens on. A repository the caller may not see at all is "not found", exactly
    /// as <see cref="RepositoryService.GetAsync"/> answers; permission is checked before the repository's settings,
    /// so someone without Read learns nothing about them.
    /// </summary>
    private async Task<(RepositorySummary Repository, string UserId)> EnsureMayHaveUserTokenAsync(
        Actor actor, string repo, CancellationToken cancellationToken)
    {
        var userId = EnsureIsUser(actor);
        var repository = await repositories.GetAsync(actor, repo, cancellationToken);
        if (repository.Visibility == RepositoryVisibility.Public)
        {
            throw new ConflictException("repo",
                $"Repository '{repo}' is public: it serves downloads without credentials, so it has no user tokens.");
        }
        // Read from the database (account, roles, lock, grants) exactly as the download path decides it, so a
        // token is only handed out while it would also work.
        if (!await permissions.PrivilegeAllowsAsync(userId, repository.Id, Permission.UseOwnUserToken, cancellationToken))
        {
            throw new ForbiddenException($"You need at least read on repository '{repo}' to get a user token there.");
        }
        if (!repository.UserTokensEnabled)
        {
            throw new ConflictException("userTokens",
                $"User tokens are turned off for repository '{repo}'. An administrator can turn them on in the repository's settings.");
        }
        return (repository, userId);
    }

    /// <summary>Members' user tokens are for the repository's admins (and administrators, admin everywhere) only.</summary>
    private async Task<RepositorySummary> EnsureMaySeeMembersTokensAsync(Actor actor, string repo, CancellationToken cancellationToken)
    {
        var repository = await repositories.GetAsync(actor, repo, cancellationToken);
        var standings = await permissions.InRepositoryAsync(actor, repository.Id, repository.Slug, repository.Visibility, cancellationToken);
        if (!standings.Allows(Permission.ViewMembersUserTokens))
        {
            throw new ForbiddenException($"Only admins of repository '{repo}' can see its members' user tokens.");
        }
        return repository;
    }

    /// <summary>User tokens belong to people: a caller without a user (the system actor) has none.</summary>
    private static string EnsureIsUser(Actor actor) =>
        actor.UserId ?? throw new ForbiddenException("Only signed-in users have user tokens.");

    /// <summary>Which of a user's tokens still work: the same rule the download path applies (DownloadAccess).</summary>
    private static IQueryable<EntitlementToken> StillUsable(AppDbContext db, string userId, ReadableRepositories readable)
    {
        var tokens = db.Set<EntitlementToken>().AsNoTracking().Where(t => t.Kind == TokenKind.User && t.UserId == userId
            && !t.IsDeleted && t.Repository!.Visibility == RepositoryVisibility.Private && t.Repository.UserTokensEnabled);
        if (readable.Everything)
        {
            return tokens;
        }
        var ids = readable.Ids.ToArray();
        return tokens.Where(t => ids.Contains(t.RepositoryId));
    }
}
