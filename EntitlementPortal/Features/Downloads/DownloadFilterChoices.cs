using EntitlementPortal.Data;
using EntitlementPortal.Features.Customers;
using EntitlementPortal.Features.Permissions;
using EntitlementPortal.Features.Shared;
using EntitlementPortal.Features.Tokens;
using Microsoft.EntityFrameworkCore;

namespace EntitlementPortal.Features.Downloads;

/// <summary>One entry of a filter picker: the id the address bar keeps, and what the person reads.</summary>
public sealed record FilterChoice(string Id, string Label);

/// <summary>
/// What the customer, token and user pickers of the Downloads page offer: only what the caller may see besides the
/// history itself (customers, tokens of repositories in their token scope, and people only for those who may manage
/// users), found by name in the database so a large portal never ships its whole list to the browser.
/// </summary>
public sealed class DownloadFilterChoices(IDbContextFactory<AppDbContext> dbFactory, PermissionCheck permissions)
{
    /// <summary>How many matches a picker lists; typing more narrows them.</summary>
    public const int MaxChoices = 20;

    /// <summary>People are listed to those who may see users; others filter by a user id they read in the history.</summary>
    public static bool MaySearchUsers(Actor actor) => PermissionCheck.Allows(actor, Permission.ManageUsers);

    public async Task<IReadOnlyList<FilterChoice>> SearchCustomersAsync(Actor actor, string? text, CancellationToken cancellationToken = default)
    {
        EnsureCustomers(actor);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var customers = db.Set<Customer>().AsNoTracking();
        if (Term(text) is { } pattern)
        {
            customers = customers.Where(c => EF.Functions.Like(c.Name, pattern, TextSearch.Escape));
        }
        var rows = await customers.OrderBy(c => c.Name).ThenBy(c => c.Id).Take(MaxChoices)
            .Select(c => new { c.Id, c.Name }).ToListAsync(cancellationToken);
        return rows.Select(c => new FilterChoice(Id(c.Id), c.Name)).ToList();
    }

    /// <summary>The customer the address bar names, or null when there is none.</summary>
    public async Task<FilterChoice?> FindCustomerAsync(Actor actor, int id, CancellationToken cancellationToken = default)
    {
        EnsureCustomers(actor);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var name = await db.Set<Customer>().AsNoTracking().Where(c => c.Id == id).Select(c => c.Name).FirstOrDefaultAsync(cancellationToken);
        return name is null ? null : new FilterChoice(Id(id), name);
    }

    /// <summary>Tokens by name, each shown with its repository and customer (names repeat across repositories).</summary>
    public async Task<IReadOnlyList<FilterChoice>> SearchTokensAsync(Actor actor, string? text, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var tokens = await VisibleTokensAsync(db, actor, cancellationToken);
        if (Term(text) is { } pattern)
        {
            tokens = tokens.Where(t => EF.Functions.Like(t.Name, pattern, TextSearch.Escape));
        }
        var rows = await tokens.OrderBy(t => t.Name).ThenBy(t => t.Id).Take(MaxChoices)
            .Select(t => new TokenRow(t.Id, t.Name, t.Repository!.Slug, t.Customer!.Name, t.Kind, t.IsDeleted)).ToListAsync(cancellationToken);
        return rows.Select(TokenChoice).ToList();
    }

    /// <summary>The token the address bar names, or null when there is none the caller may see.</summary>
    public async Task<FilterChoice?> FindTokenAsync(Actor actor, int id, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var tokens = await VisibleTokensAsync(db, actor, cancellationToken);
        var row = await tokens.Where(t => t.Id == id)
            .Select(t => new TokenRow(t.Id, t.Name, t.Repository!.Slug, t.Customer!.Name, t.Kind, t.IsDeleted)).FirstOrDefaultAsync(cancellationToken);
        return row is null ? null : TokenChoice(row);
    }

    public async Task<IReadOnlyList<FilterChoice>> SearchUsersAsync(Actor actor, string? text, CancellationToken cancellationToken = default)
    {
        EnsureUsers(actor);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var users = db.Users.AsNoTracking();
        if (Term(text) is { } pattern)
        {
            users = users.Where(u => EF.Functions.Like(u.Email!, pattern, TextSearch.Escape) || EF.Functions.Like(u.Name!, pattern, TextSearch.Escape));
        }
        var rows = await users.OrderBy(u => u.Email).ThenBy(u => u.Id).Take(MaxChoices)
            .Select(u => new { u.Id, u.Email, u.Name }).ToListAsync(cancellationToken);
        return rows.Select(u => new FilterChoice(u.Id, UserLabel(u.Email, u.Name))).ToList();
    }

    /// <summary>The user the address bar names, or null when there is none (or the caller may not see people).</summary>
    public async Task<FilterChoice?> FindUserAsync(Actor actor, string id, CancellationToken cancellationToken = default)
    {
        if (!MaySearchUsers(actor))
        {
            return null;
        }
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var user = await db.Users.AsNoTracking().Where(u => u.Id == id).Select(u => new { u.Email, u.Name }).FirstOrDefaultAsync(cancellationToken);
        return user is null ? null : new FilterChoice(id, UserLabel(user.Email, user.Name));
    }

    private async Task<IQueryable<EntitlementToken>> VisibleTokensAsync(AppDbContext db, Actor actor, CancellationToken cancellationToken)
    {
        PermissionCheck.Ensure(actor, Permission.ViewDownloadHistory);
        // Standard tokens where the caller may see tokens; a user token only where they may see members' user tokens.
        var standard = await permissions.ScopeAsync(actor, Permission.ViewTokens, cancellationToken);
        var personal = await permissions.ScopeAsync(actor, Permission.ViewMembersUserTokens, cancellationToken);
        var (standardIds, personalIds) = (standard.Ids.ToArray(), personal.Ids.ToArray());
        var (allStandard, allPersonal) = (standard.Everything, personal.Everything);
        return db.Set<EntitlementToken>().AsNoTracking().Where(t =>
            (t.Kind == TokenKind.Standard && (allStandard || standardIds.Contains(t.RepositoryId)))
            || (t.Kind == TokenKind.User && (allPersonal || personalIds.Contains(t.RepositoryId))));
    }

    private sealed record TokenRow(int Id, string Name, string Repo, string? CustomerName, TokenKind Kind, bool Deleted);

    private static FilterChoice TokenChoice(TokenRow t)
    {
        var owner = t.Kind == TokenKind.User ? "user token" : t.CustomerName ?? "no customer";
        return new FilterChoice(Id(t.Id), $"{t.Name} · {t.Repo} · {owner}{(t.Deleted ? " (deleted)" : "")}");
    }

    private static string UserLabel(string? email, string? name) =>
        string.IsNullOrWhiteSpace(name) ? email ?? "(no e-mail)" : $"{name} <{email}>";

    private static string Id(int id) => id.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static string? Term(string? text) => string.IsNullOrWhiteSpace(text) ? null : TextSearch.ContainsPattern(text.Trim());

    private static void EnsureCustomers(Actor actor)
    {
        PermissionCheck.Ensure(actor, Permission.ViewDownloadHistory);
        PermissionCheck.Ensure(actor, Permission.ViewCustomers);
    }

    private static void EnsureUsers(Actor actor)
    {
        PermissionCheck.Ensure(actor, Permission.ViewDownloadHistory);
        PermissionCheck.Ensure(actor, Permission.ManageUsers);
    }
}
