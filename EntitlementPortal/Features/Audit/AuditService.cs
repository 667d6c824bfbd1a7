using EntitlementPortal.Data;
using EntitlementPortal.Features.Permissions;
using EntitlementPortal.Features.Shared;
using EntitlementPortal.Identity;
using Microsoft.EntityFrameworkCore;

namespace EntitlementPortal.Features.Audit;

public sealed record AuditQuery(
    string? Actor = null,
    string? EntityType = null,
    string? EntityId = null,
    string? Action = null,
    DateTime? From = null,
    DateTime? To = null);

public sealed record AuditEntryView(
    long Id, DateTime At, string? ActorId, string ActorName, string Action, string EntityType, string EntityId,
    string Summary, string? ClientIp);

/// <summary>Reads the audit log. Only administrators and account managers may.</summary>
public sealed class AuditService(IDbContextFactory<AppDbContext> dbFactory)
{
    public async Task<PagedResult<AuditEntryView>> ListAsync(
        Actor actor, AuditQuery query, PageRequest page, CancellationToken cancellationToken = default)
    {
        PermissionCheck.Ensure(actor, Permission.ViewAudit);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);

        var entries = db.Set<AuditEntry>().AsNoTracking();
        if (!string.IsNullOrWhiteSpace(query.Actor))
        {
            // LIKE, not Contains: Contains is case-sensitive on SQLite, and people type "ada" for "Ada@example.com".
            var pattern = TextSearch.ContainsPattern(query.Actor.Trim());
            entries = entries.Where(e => EF.Functions.Like(e.ActorName, pattern, TextSearch.Escape));
        }
        if (!string.IsNullOrWhiteSpace(query.EntityType))
        {
            entries = entries.Where(e => e.EntityType == query.EntityType);
        }
        if (!string.IsNullOrWhiteSpace(query.EntityId))
        {
            entries = entries.Where(e => e.EntityId == query.EntityId);
        }
        if (!string.IsNullOrWhiteSpace(query.Action))
        {
            entries = entries.Where(e => e.Action == query.Action);
        }
        if (query.From is { } from)
        {
            entries = entries.Where(e => e.At >= from);
        }
        if (query.To is { } to)
        {
            entries = entries.Where(e => e.At <= to);
        }
        if (page.SearchTerm is { } term)
        {
            var pattern = TextSearch.ContainsPattern(term);
            entries = entries.Where(e =>
                EF.Functions.Like(e.Summary, pattern, TextSearch.Escape) || EF.Functions.Like(e.EntityId, pattern, TextSearch.Escape));
        }

        var total = await entries.CountAsync(cancellationToken);
        var ordered = page.SortBy?.ToLowerInvariant() switch
        {
            "actor" or "actorname" => page.Descending ? entries.OrderByDescending(e => e.ActorName) : entries.OrderBy(e => e.ActorName),
            "action" => page.Descending ? entries.OrderByDescending(e => e.Action) : entries.OrderBy(e => e.Action),
            "entitytype" => page.Descending ? entries.OrderByDescending(e => e.EntityType) : entries.OrderBy(e => e.EntityType),
            // Newest first unless asked otherwise: that is what someone opening the log wants.
            _ => page.SortBy is null || page.Descending ? entries.OrderByDescending(e => e.Id) : entries.OrderBy(e => e.Id),
        };
        var items = await ordered
            .Skip(page.Skip).Take(page.SafePageSize)
            .Select(e => new AuditEntryView(e.Id, e.At, e.ActorId, e.ActorName, e.Action, e.EntityType, e.EntityId, e.Summary, e.ClientIp))
            .ToListAsync(cancellationToken);
        return new PagedResult<AuditEntryView>(items, total);
    }

    /// <summary>The repository of each token the page's entries name, so the log can link to the token's page.</summary>
    public async Task<IReadOnlyDictionary<int, string>> TokenRepositoriesAsync(
        Actor actor, IEnumerable<AuditEntryView> entries, CancellationToken cancellationToken = default)
    {
        PermissionCheck.Ensure(actor, Permission.ViewAudit);
        var ids = entries.Where(e => e.EntityType == AuditEntityTypes.Token)
            .Select(e => int.TryParse(e.EntityId, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id) ? id : 0)
            .Where(id => id > 0).Distinct().ToArray();
        if (ids.Length == 0)
        {
            return new Dictionary<int, string>();
        }
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Set<Tokens.EntitlementToken>().AsNoTracking()
            .Where(t => ids.Contains(t.Id) && t.Kind == Tokens.TokenKind.Standard)
            .Select(t => new { t.Id, Repo = t.Repository!.Slug })
            .ToDictionaryAsync(t => t.Id, t => t.Repo, cancellationToken);
    }
}
