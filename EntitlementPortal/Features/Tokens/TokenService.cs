using EntitlementPortal.Data;
using EntitlementPortal.Features.Audit;
using EntitlementPortal.Features.Repositories;
using EntitlementPortal.Features.Shared;
using EntitlementPortal.Identity;
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
    AuditTrail audit,
    TimeProvider clock)
{
    public async Task<PagedResult<TokenView>> ListAsync(Actor actor, TokenFilter filter, PageRequest page, CancellationToken cancellationToken = default)
    {
        EnsureCanRead(actor);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var tokens = db.Set<EntitlementToken>().AsNoTracking().Where(t => t.Kind == TokenKind.Standard);
        if (filter.Repo is { } repo)
        {
            if (!await db.Set<Repository>().AnyAsync(r => r.Slug == repo, cancellationToken))
            {
                throw new NotFoundException($"Repository '{repo}'");
            }
            tokens = tokens.Where(t => t.Repository!.Slug == repo);
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
        var mayReveal = CanSeeSecrets(actor);
        return new PagedResult<TokenView>(
            rows.Select(r => ToView(r.Token, r.Repo, r.CustomerName, mayReveal ? secrets.Reveal(r.Token.SecretCiphertext) : null)).ToList(),
            total);
    }

    public async Task<TokenView> GetAsync(Actor actor, string repo, int id, CancellationToken cancellationToken = default)
    {
        EnsureCanRead(actor);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var row = await db.Set<EntitlementToken>().AsNoTracking()
            .Where(t => t.Id == id && t.Repository!.Slug == repo && t.Kind == TokenKind.Standard)
            .Select(t => new { Token = t, Repo = t.Repository!.Slug, CustomerName = t.Customer!.Name })
            .FirstOrDefaultAsync(cancellationToken)
            ?? throw new NotFoundException($"Token {id} in repository '{repo}'");
        return ToView(row.Token, row.Repo, row.CustomerName, CanSeeSecrets(actor) ? secrets.Reveal(row.Token.SecretCiphertext) : null);
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

    private static bool CanSeeSecrets(Actor actor) => actor.IsInAnyRole(Roles.Administrator, Roles.TokenManager);

    private static void EnsureCanRead(Actor actor)
    {
        if (!actor.IsInAnyRole(Roles.Administrator, Roles.AccountManager, Roles.TokenManager))
        {
            throw new ForbiddenException("Your account cannot see entitlement tokens.");
        }
    }

    private static void EnsureCanManage(Actor actor)
    {
        if (!actor.IsInAnyRole(Roles.Administrator, Roles.TokenManager))
        {
            throw new ForbiddenException("Only administrators and token managers can change entitlement tokens.");
        }
    }
}
