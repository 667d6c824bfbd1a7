using EntitlementPortal.Data;
using EntitlementPortal.Features.Permissions;
using EntitlementPortal.Features.Shared;
using EntitlementPortal.Features.Tokens;
using EntitlementPortal.Identity;
using Microsoft.EntityFrameworkCore;

namespace EntitlementPortal.Features.Downloads;

public sealed record DownloadQuery(
    string? Repo = null, int? CustomerId = null, int? TokenId = null, int? Status = null, DateTime? From = null, DateTime? To = null);

public sealed record DownloadEventView(
    long Id, DateTime At, string Repo, string? Package, string? Version, string? Filename, int? TokenId, int? CustomerId,
    string? UserId, AuthMethod AuthMethod, string? ClientIp, string? UserAgent, int Status, long Bytes, string? Reason, int Attempts);

/// <summary>Reads the download history: staff who may see tokens may see what they downloaded.</summary>
public sealed class DownloadHistoryService(IDbContextFactory<AppDbContext> dbFactory)
{
    public async Task<PagedResult<DownloadEventView>> ListAsync(Actor actor, DownloadQuery query, PageRequest page, CancellationToken cancellationToken = default)
    {
        EnsureCanRead(actor);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var events = db.Set<DownloadEvent>().AsNoTracking();
        if (query.Repo is { } repo)
        {
            events = events.Where(e => e.Repo == repo);
        }
        if (query.CustomerId is { } customerId)
        {
            events = events.Where(e => e.CustomerId == customerId);
        }
        if (query.TokenId is { } tokenId)
        {
            events = events.Where(e => e.TokenId == tokenId);
        }
        if (query.Status is { } status)
        {
            events = events.Where(e => e.Status == status);
        }
        if (query.From is { } from)
        {
            events = events.Where(e => e.At >= from);
        }
        if (query.To is { } to)
        {
            events = events.Where(e => e.At <= to);
        }
        var total = await events.CountAsync(cancellationToken);
        var items = await (page.Descending || page.SortBy is null ? events.OrderByDescending(e => e.Id) : events.OrderBy(e => e.Id))
            .Skip(page.Skip).Take(page.SafePageSize)
            .Select(e => new DownloadEventView(e.Id, e.At, e.Repo, e.Package, e.Version, e.Filename, e.TokenId, e.CustomerId,
                e.UserId, e.AuthMethod, e.ClientIp, e.UserAgent, e.Status, e.Bytes, e.Reason, e.Attempts))
            .ToListAsync(cancellationToken);
        return new PagedResult<DownloadEventView>(items, total);
    }

    /// <summary>
    /// Per UTC day for one token, oldest first: whole-file downloads and every byte sent (ranges included). Days
    /// without any are left out.
    /// </summary>
    public async Task<IReadOnlyList<DailyUsage>> DailyUsageAsync(Actor actor, int tokenId, CancellationToken cancellationToken = default)
    {
        EnsureCanRead(actor);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rows = await db.Set<DownloadEvent>().AsNoTracking()
            // File responses that sent bytes; index reads (no file) and HEAD requests (no bytes) are not usage.
            .Where(e => e.TokenId == tokenId && e.Filename != null && e.Bytes > 0 && (e.Status == 200 || e.Status == 206))
            .GroupBy(e => e.At.Date)
            .Select(g => new { Day = g.Key, Downloads = g.LongCount(e => e.Status == 200), Bytes = g.Sum(e => e.Bytes) })
            .OrderBy(g => g.Day)
            .ToListAsync(cancellationToken);
        return rows.Select(r => new DailyUsage(DateOnly.FromDateTime(r.Day), r.Downloads, r.Bytes)).ToList();
    }

    private static void EnsureCanRead(Actor actor)
    {
        PermissionCheck.Ensure(actor, Permission.ViewDownloadHistory);
    }
}
