using EntitlementPortal.Data;
using EntitlementPortal.Features.Permissions;
using EntitlementPortal.Features.Repositories;
using EntitlementPortal.Features.Shared;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace EntitlementPortal.Features.Tokens;

/// <summary>Filters of the standard-token lists. User tokens are never listed here: they belong to their owners (UserTokenService).</summary>
public sealed record TokenFilter(
    string? Repo = null, int? CustomerId = null, bool? Active = null, bool IncludeDeleted = false);

/// <summary>Lifecycle facts the token detail page shows beyond <see cref="TokenView"/>.</summary>
public sealed record TokenHistory(string? RefreshedBy, DateTime? PreviousSecretValidUntil, DateTime? DeletedAt);

/// <summary>Reading standard tokens, for the pages and the API alike; the secret only for those who may see it.</summary>
public sealed class TokenQueries(
    IDbContextFactory<AppDbContext> dbFactory,
    TokenAccess access,
    TokenSecretProtector secrets,
    IOptionsMonitor<PlanOptions> plan,
    PermissionCheck permissions,
    TimeProvider clock)
{
    public async Task<PagedResult<TokenView>> ListAsync(Actor actor, TokenFilter filter, PageRequest page, CancellationToken cancellationToken = default)
    {
        // The standard tokens only: user tokens are their owners' (UserTokenService).
        RepositoryScope revealScope;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var tokens = db.Set<EntitlementToken>().AsNoTracking().Where(t => t.Kind == TokenKind.Standard);
        if (filter.Repo is { } repo)
        {
            var standings = await access.EnsureAsync(actor, repo, Permission.ViewTokens, cancellationToken);
            revealScope = new RepositoryScope(standings.Allows(Permission.RevealTokenSecrets), new HashSet<int>(), false);
            tokens = tokens.Where(t => t.Repository!.Slug == repo);
        }
        else
        {
            var scope = await permissions.ScopeAsync(actor, Permission.ViewTokens, cancellationToken);
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
            tokens = Search(db, tokens, term);
        }

        var total = await tokens.CountAsync(cancellationToken);
        var rows = await Sort(tokens, page).Skip(page.Skip).Take(page.SafePageSize)
            .Select(t => new { Token = t, Repo = t.Repository!.Slug, CustomerName = t.Customer!.Name })
            .ToListAsync(cancellationToken);
        string? SecretOf(EntitlementToken t) =>
            revealScope.Includes(t.RepositoryId, RepositoryVisibility.Private) ? secrets.Reveal(t.SecretCiphertext) : null;
        return new PagedResult<TokenView>(
            rows.Select(r => TokenViewMapping.ToView(r.Token, r.Repo, r.CustomerName, SecretOf(r.Token))).ToList(),
            total);
    }

    public async Task<TokenView> GetAsync(Actor actor, string repo, int id, CancellationToken cancellationToken = default)
    {
        var standings = await access.EnsureAsync(actor, repo, Permission.ViewTokens, cancellationToken);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var row = await db.Set<EntitlementToken>().AsNoTracking()
            .Where(t => t.Id == id && t.Repository!.Slug == repo && t.Kind == TokenKind.Standard)
            .Select(t => new { Token = t, Repo = t.Repository!.Slug, CustomerName = t.Customer!.Name })
            .FirstOrDefaultAsync(cancellationToken)
            ?? throw new NotFoundException($"Token {id} in repository '{repo}'");
        return TokenViewMapping.ToView(row.Token, row.Repo, row.CustomerName, access.SecretFor(standings, row.Token));
    }

    /// <summary>Who refreshed the secret last, until when the previous secret still works, and when the token was deleted.</summary>
    public async Task<TokenHistory> GetHistoryAsync(Actor actor, string repo, int id, CancellationToken cancellationToken = default)
    {
        await access.EnsureAsync(actor, repo, Permission.ViewTokens, cancellationToken);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var now = clock.GetUtcNow().UtcDateTime;
        return await db.Set<EntitlementToken>().AsNoTracking()
            .Where(t => t.Id == id && t.Repository!.Slug == repo && t.Kind == TokenKind.Standard)
            .Select(t => new TokenHistory(
                t.RefreshedBy,
                t.PreviousSecretValidUntil > now ? t.PreviousSecretValidUntil : null,
                t.DeletedAt))
            .FirstOrDefaultAsync(cancellationToken)
            ?? throw new NotFoundException($"Token {id} in repository '{repo}'");
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
        return new TokenAllowance(await PlanAllowance.CountActiveAsync(db, cancellationToken), plan.CurrentValue.MaxActiveTokens);
    }

    /// <summary>The shortest term the trigram indexes can find: three characters (code points, as SQLite counts them).</summary>
    internal const int IndexedTermLength = 3;

    /// <summary>
    /// Tokens whose name or customer's name contains <paramref name="term"/> (LIKE: ASCII letters in either case). On
    /// SQLite a term of three characters or more is first looked up in the FTS5 trigram indexes of the names (see the
    /// TokenNameSearch migration), so only the tokens found there are compared, not every token. The LIKE stays as the
    /// final check: the index folds the case of more letters than LIKE does, never fewer, so the rows are exactly the
    /// substring search's. SQL Server, and shorter terms, compare every name.
    /// </summary>
    private static IQueryable<EntitlementToken> Search(AppDbContext db, IQueryable<EntitlementToken> tokens, string term)
    {
        var pattern = TextSearch.ContainsPattern(term);
        tokens = tokens.Where(t => EF.Functions.Like(t.Name, pattern, TextSearch.Escape)
            || EF.Functions.Like(t.Customer!.Name, pattern, TextSearch.Escape));
        if (!db.Database.IsSqlite() || term.EnumerateRunes().Count() < IndexedTermLength)
        {
            return tokens;
        }
        // One FTS5 string: every character of the term is literal, the trigrams in order (a substring).
        var phrase = "\"" + term.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
        var named = db.Database.SqlQuery<int>($"SELECT rowid AS \"Value\" FROM \"TokenNameSearch\" WHERE \"TokenNameSearch\" MATCH {phrase}");
        var namedCustomers = db.Database.SqlQuery<int>($"SELECT rowid AS \"Value\" FROM \"CustomerNameSearch\" WHERE \"CustomerNameSearch\" MATCH {phrase}");
        // One set of candidate ids: SQLite then reads the tokens by id instead of scanning them.
        var candidates = named.Union(db.Set<EntitlementToken>()
            .Where(t => t.CustomerId != null && namedCustomers.Contains(t.CustomerId.Value)).Select(t => t.Id));
        return tokens.Where(t => candidates.Contains(t.Id));
    }

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
}
