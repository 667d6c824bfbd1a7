using EntitlementPortal.Data;
using EntitlementPortal.Features.Audit;
using EntitlementPortal.Features.Permissions;
using EntitlementPortal.Features.Repositories;
using EntitlementPortal.Features.Shared;
using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace EntitlementPortal.Features.Tokens;

public sealed class PlanOptions
{
    public const string Section = "Plan";

    /// <summary>How many active standard tokens the plan allows; 0 means unlimited.</summary>
    public int MaxActiveTokens { get; set; }
}

/// <summary>Filters of the standard-token lists. User tokens are never listed here: they belong to their owners (UserTokenService).</summary>
public sealed record TokenFilter(
    string? Repo = null, int? CustomerId = null, bool? Active = null, bool IncludeDeleted = false);

public sealed record TokenAllowance(int Active, int Max)
{
    public bool IsUnlimited => Max == 0;

    public bool IsFull => !IsUnlimited && Active >= Max;

    public override string ToString() =>
        IsUnlimited ? $"{Active} active {(Active == 1 ? "token" : "tokens")} (no plan limit)" : $"{Active} of {Max} active tokens";
}

/// <summary>
/// Entitlement tokens: reading and changing them, for the pages and the API alike. Lifecycle actions are in
/// TokenService.Lifecycle.cs; the secret itself only ever passes through <see cref="TokenSecretProtector"/>.
/// </summary>
public sealed partial class TokenService(
    IDbContextFactory<AppDbContext> dbFactory,
    IValidator<TokenInput> validator,
    TokenSecretProtector secrets,
    IOptionsMonitor<PlanOptions> plan,
    PermissionCheck permissions,
    AuditTrail audit,
    TimeProvider clock)
{
    public async Task<PagedResult<TokenView>> ListAsync(Actor actor, TokenFilter filter, PageRequest page, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        // The standard tokens only: user tokens are their owners' (UserTokenService).
        var tokens = db.Set<EntitlementToken>().AsNoTracking().Where(t => t.Kind == TokenKind.Standard);
        const Permission viewing = Permission.ViewTokens;
        RepositoryScope revealScope;
        if (filter.Repo is { } repo)
        {
            var standings = await StandingsAsync(db, actor, repo, viewing, cancellationToken);
            revealScope = standings.Allows(Permission.RevealTokenSecrets)
                ? new RepositoryScope(true, new HashSet<int>(), false)
                : new RepositoryScope(false, new HashSet<int>(), false);
            tokens = tokens.Where(t => t.Repository!.Slug == repo);
        }
        else
        {
            var scope = await permissions.ScopeAsync(actor, viewing, cancellationToken);
            if (!scope.Everything)
            {
                var ids = scope.Ids.ToArray();
                tokens = tokens.Where(t => ids.Contains(t.RepositoryId));
            }
            revealScope = await permissions.ScopeAsync(actor, Permission.RevealTokenSecrets, cancellationToken);
        }
        if (filter.CustomerId is { } customerId)
        {
            tokens = tokens.Where(t => t.CustomerId == customerId);
        }
        if (filter.Active is { } active)
        {
            tokens = tokens.Where(t => t.IsActive == active && !t.IsDeleted);
        }
        if (!filter.IncludeDeleted)
        {
            tokens = tokens.Where(t => !t.IsDeleted);
        }
        if (page.SearchTerm is { } term)
        {
            var pattern = TextSearch.ContainsPattern(term);
            tokens = tokens.Where(t => EF.Functions.Like(t.Name, pattern, TextSearch.Escape)
                || EF.Functions.Like(t.Customer!.Name, pattern, TextSearch.Escape));
        }

        var total = await tokens.CountAsync(cancellationToken);
        var rows = await Sort(tokens, page).Skip(page.Skip).Take(page.SafePageSize)
            .Select(t => new { Token = t, Repo = t.Repository!.Slug, CustomerName = t.Customer!.Name })
            .ToListAsync(cancellationToken);
        bool MayReveal(EntitlementToken t) => revealScope.Includes(t.RepositoryId, RepositoryVisibility.Private);
        return new PagedResult<TokenView>(
            rows.Select(r => ToView(r.Token, r.Repo, r.CustomerName, MayReveal(r.Token) ? secrets.Reveal(r.Token.SecretCiphertext) : null)).ToList(),
            total);
    }

    public async Task<TokenView> GetAsync(Actor actor, string repo, int id, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var standings = await StandingsAsync(db, actor, repo, Permission.ViewTokens, cancellationToken);
        var row = await db.Set<EntitlementToken>().AsNoTracking()
            .Where(t => t.Id == id && t.Repository!.Slug == repo && t.Kind == TokenKind.Standard)
            .Select(t => new { Token = t, Repo = t.Repository!.Slug, CustomerName = t.Customer!.Name })
            .FirstOrDefaultAsync(cancellationToken)
            ?? throw new NotFoundException($"Token {id} in repository '{repo}'");
        return ToView(row.Token, row.Repo, row.CustomerName, SecretFor(standings, row.Token));
    }

    /// <summary>Whether the actor may change the repository's standard tokens (for showing buttons; changes check again).</summary>
    public async Task<bool> MayManageAsync(Actor actor, string repo, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var repository = await db.Set<Repository>().AsNoTracking().FirstOrDefaultAsync(r => r.Slug == repo, cancellationToken);
        return repository is not null && (await permissions.InRepositoryAsync(actor, repository, cancellationToken)).Allows(Permission.ManageTokens);
    }

    public async Task<TokenAllowance> GetAllowanceAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return new TokenAllowance(await CountActiveAsync(db, cancellationToken), plan.CurrentValue.MaxActiveTokens);
    }

    private static Task<int> CountActiveAsync(AppDbContext db, CancellationToken cancellationToken) =>
        db.Set<EntitlementToken>().CountAsync(t => t.IsActive && !t.IsDeleted && t.Kind == TokenKind.Standard, cancellationToken);

    /// <summary>
    /// Holds the plan allowance for the rest of <paramref name="db"/>'s transaction and returns the plan's maximum,
    /// or null when the plan is unlimited (nothing to hold). Every change that can make standard tokens active
    /// counts them only after this, inside the transaction that saves the change, so two changes can never both
    /// take the last free place, on one instance or on several: the database makes the second wait for the
    /// first's commit and then counts what it committed.
    /// </summary>
    private async Task<int?> HoldAllowanceAsync(AppDbContext db, CancellationToken cancellationToken)
    {
        var max = plan.CurrentValue.MaxActiveTokens;
        if (max == 0)
        {
            return null;
        }
        await db.TakeLockAsync(DatabaseLock.PlanAllowance, cancellationToken);
        return max;
    }

    /// <summary>Refuses one more active token when the plan is full; the caller's transaction then keeps the allowance.</summary>
    private async Task EnsureAllowanceAsync(AppDbContext db, CancellationToken cancellationToken)
    {
        if (await HoldAllowanceAsync(db, cancellationToken) is { } max && await CountActiveAsync(db, cancellationToken) >= max)
        {
            throw new ConflictException(nameof(TokenInput.IsActive),
                $"The plan allows {max} active {(max == 1 ? "token" : "tokens")} and all are in use. Disable or delete a token first, or raise Plan:MaxActiveTokens.");
        }
    }

    private static async Task<Repository> FindPrivateRepositoryAsync(AppDbContext db, string repo, CancellationToken cancellationToken)
    {
        var repository = await db.Set<Repository>().FirstOrDefaultAsync(r => r.Slug == repo, cancellationToken)
            ?? throw new NotFoundException($"Repository '{repo}'");
        if (repository.Visibility == RepositoryVisibility.Public)
        {
            throw new ValidationException([new FluentValidation.Results.ValidationFailure("repo",
                $"Repository '{repo}' is public: it serves downloads without tokens. Make it private to give out tokens.")]);
        }
        return repository;
    }

    private static async Task<EntitlementToken> FindStandardAsync(AppDbContext db, string repo, int id, CancellationToken cancellationToken) =>
        await db.Set<EntitlementToken>().Include(t => t.Repository).Include(t => t.Customer)
            .FirstOrDefaultAsync(t => t.Id == id && t.Repository!.Slug == repo && t.Kind == TokenKind.Standard, cancellationToken)
        ?? throw new NotFoundException($"Token {id} in repository '{repo}'");

    private static IQueryable<EntitlementToken> Sort(IQueryable<EntitlementToken> tokens, PageRequest page) =>
        page.SortBy?.ToLowerInvariant() switch
        {
            "name" => page.Descending ? tokens.OrderByDescending(t => t.Name) : tokens.OrderBy(t => t.Name),
            "customer" => page.Descending ? tokens.OrderByDescending(t => t.Customer!.Name) : tokens.OrderBy(t => t.Customer!.Name),
            "downloads" => page.Descending ? tokens.OrderByDescending(t => t.Downloads) : tokens.OrderBy(t => t.Downloads),
            "lastdownloadat" => page.Descending ? tokens.OrderByDescending(t => t.LastDownloadAt) : tokens.OrderBy(t => t.LastDownloadAt),
            "active" => page.Descending ? tokens.OrderByDescending(t => t.IsActive) : tokens.OrderBy(t => t.IsActive),
            _ => page.Descending ? tokens.OrderByDescending(t => t.Id) : tokens.OrderBy(t => t.Id),
        };

    private static TokenView ToView(EntitlementToken t, string repo, string? customerName, string? secret) =>
        TokenViewMapping.ToView(t, repo, customerName, secret);

    /// <summary>The repository's standings for the actor, once they allow <paramref name="permission"/> (else 404/403).</summary>
    private async Task<RepositoryStandings> StandingsAsync(
        AppDbContext db, Actor actor, string repo, Permission permission, CancellationToken cancellationToken)
    {
        var repository = await db.Set<Repository>().AsNoTracking().FirstOrDefaultAsync(r => r.Slug == repo, cancellationToken)
            ?? throw new NotFoundException($"Repository '{repo}'");
        var standings = await permissions.InRepositoryAsync(actor, repository, cancellationToken);
        standings.Ensure(permission);
        return standings;
    }

    private string? SecretFor(RepositoryStandings standings, EntitlementToken token) =>
        standings.Allows(Permission.RevealTokenSecrets) ? secrets.Reveal(token.SecretCiphertext) : null;

    /// <summary>Naming a customer on a token shows who the customer is: only for those who may see customers.</summary>
    private static void EnsureMayAttachCustomer(Actor actor, int? customerId, int? currentCustomerId = null)
    {
        if (customerId is not null && customerId != currentCustomerId)
        {
            PermissionCheck.Ensure(actor, Permission.ViewCustomers);
        }
    }
}
