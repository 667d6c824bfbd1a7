using EntitlementPortal.Data;
using EntitlementPortal.Features.Customers;
using EntitlementPortal.Features.Packages;
using EntitlementPortal.Features.Permissions;
using EntitlementPortal.Features.Repositories;
using EntitlementPortal.Features.Shared;
using EntitlementPortal.Features.Tokens;
using EntitlementPortal.Identity;
using FluentValidation;
using FluentValidation.Results;
using Microsoft.EntityFrameworkCore;

namespace EntitlementPortal.Features.Downloads;

/// <summary>Reads the download history: staff who may see tokens may see what they downloaded.</summary>
public sealed class DownloadHistoryService(IDbContextFactory<AppDbContext> dbFactory)
{
    /// <summary>Columns the history can be sorted by (the <c>sort</c> parameter); newest first unless asked otherwise.</summary>
    public static readonly IReadOnlyList<string> SortFields = ["at", "repo", "package", "version", "status", "bytes", "clientIp"];

    public async Task<PagedResult<DownloadEventView>> ListAsync(Actor actor, DownloadQuery query, PageRequest page, CancellationToken cancellationToken = default)
    {
        EnsureCanRead(actor);
        EnsureSortable(page.SortBy);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await EnsureKnownAsync(db, query, cancellationToken);
        var events = Filter(db.Set<DownloadEvent>().AsNoTracking(), query);
        var total = await events.CountAsync(cancellationToken);
        var items = await Project(db, Sort(events, page).Skip(page.Skip).Take(page.SafePageSize)).ToListAsync(cancellationToken);
        return new PagedResult<DownloadEventView>(items, total);
    }

    /// <summary>
    /// Checks the caller and the filters now (so a bad request is refused before any byte is sent), then hands back
    /// the matching events oldest first, read one by one from the database as the caller enumerates them.
    /// </summary>
    public async Task<IAsyncEnumerable<DownloadEventView>> ExportAsync(Actor actor, DownloadQuery query, CancellationToken cancellationToken = default)
    {
        EnsureCanRead(actor);
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            await EnsureKnownAsync(db, query, cancellationToken);
        }
        return StreamAsync(query, cancellationToken);
    }

    private async IAsyncEnumerable<DownloadEventView> StreamAsync(DownloadQuery query,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var events = Filter(db.Set<DownloadEvent>().AsNoTracking(), query).OrderBy(e => e.At).ThenBy(e => e.Id);
        await foreach (var row in Project(db, events).AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            yield return row;
        }
    }

    /// <summary>The package version an event names, if it still exists, for a link from the event to its page.</summary>
    public async Task<int?> FindPackageIdAsync(Actor actor, string repo, string? package, string? version, CancellationToken cancellationToken = default)
    {
        EnsureCanRead(actor);
        if (package is null || version is null)
        {
            return null;
        }
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Set<Package>().AsNoTracking()
            .Where(p => p.Repository!.Slug == repo && p.Name == package && p.Version == version)
            .Select(p => (int?)p.Id).FirstOrDefaultAsync(cancellationToken);
    }

    /// <summary>
    /// Per UTC day for one token, oldest first: counted downloads and every byte of file answers sent (ranges
    /// included). Read from the daily rollup, so it stays whole when old events are deleted. Days without any are left out.
    /// </summary>
    public async Task<IReadOnlyList<DailyUsage>> DailyUsageAsync(Actor actor, int tokenId, CancellationToken cancellationToken = default)
    {
        EnsureCanRead(actor);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rows = await db.Set<TokenDailyUsage>().AsNoTracking()
            .Where(u => u.TokenId == tokenId)
            .OrderBy(u => u.Day)
            .Select(u => new { u.Day, u.Downloads, u.Bytes })
            .ToListAsync(cancellationToken);
        return rows.Select(r => new DailyUsage(DateOnly.FromDateTime(r.Day), r.Downloads, r.Bytes)).ToList();
    }

    private static IQueryable<DownloadEvent> Filter(IQueryable<DownloadEvent> events, DownloadQuery query)
    {
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
        if (query.UserId is { } userId)
        {
            events = events.Where(e => e.UserId == userId);
        }
        if (query.Package is { } package)
        {
            events = events.Where(e => e.Package == package);
        }
        if (query.Version is { } version)
        {
            events = events.Where(e => e.Version == version);
        }
        if (query.Status is { } status)
        {
            events = events.Where(e => e.Status == status);
        }
        if (query.Reason is { } reason)
        {
            events = events.Where(e => e.Reason == reason);
        }
        if (query.ClientIp is { } clientIp)
        {
            events = events.Where(e => e.ClientIp == clientIp);
        }
        if (query.From is { } from)
        {
            events = events.Where(e => e.At >= from);
        }
        if (query.To is { } to)
        {
            events = events.Where(e => e.At <= to);
        }
        if (query.Outcome == HistoryOutcome.Served)
        {
            events = events.Where(e => e.Status < 400);
        }
        if (query.Outcome == HistoryOutcome.Refused)
        {
            events = events.Where(e => e.Status >= 400);
        }
        return events;
    }

    private static IOrderedQueryable<DownloadEvent> Sort(IQueryable<DownloadEvent> events, PageRequest page)
    {
        // Newest first by default; the id breaks ties so that paging is stable.
        var descending = page.SortBy is null || page.Descending;
        return (page.SortBy?.ToLowerInvariant(), descending) switch
        {
            ("repo", false) => events.OrderBy(e => e.Repo).ThenBy(e => e.Id),
            ("repo", true) => events.OrderByDescending(e => e.Repo).ThenByDescending(e => e.Id),
            ("package", false) => events.OrderBy(e => e.Package).ThenBy(e => e.Id),
            ("package", true) => events.OrderByDescending(e => e.Package).ThenByDescending(e => e.Id),
            ("version", false) => events.OrderBy(e => e.Version).ThenBy(e => e.Id),
            ("version", true) => events.OrderByDescending(e => e.Version).ThenByDescending(e => e.Id),
            ("status", false) => events.OrderBy(e => e.Status).ThenBy(e => e.Id),
            ("status", true) => events.OrderByDescending(e => e.Status).ThenByDescending(e => e.Id),
            ("bytes", false) => events.OrderBy(e => e.Bytes).ThenBy(e => e.Id),
            ("bytes", true) => events.OrderByDescending(e => e.Bytes).ThenByDescending(e => e.Id),
            ("clientip", false) => events.OrderBy(e => e.ClientIp).ThenBy(e => e.Id),
            ("clientip", true) => events.OrderByDescending(e => e.ClientIp).ThenByDescending(e => e.Id),
            (_, false) => events.OrderBy(e => e.At).ThenBy(e => e.Id),
            (_, true) => events.OrderByDescending(e => e.At).ThenByDescending(e => e.Id),
        };
    }

    private static IQueryable<DownloadEventView> Project(AppDbContext db, IQueryable<DownloadEvent> events) =>
        from e in events
        join t in db.Set<EntitlementToken>() on e.TokenId equals (int?)t.Id into tokens
        from t in tokens.DefaultIfEmpty()
        join c in db.Set<Customer>() on e.CustomerId equals (int?)c.Id into customers
        from c in customers.DefaultIfEmpty()
        select new DownloadEventView(e.Id, e.At, e.Repo, e.Package, e.Version, e.Filename, e.TokenId, e.CustomerId,
            e.UserId, e.AuthMethod, e.ClientIp, e.UserAgent, e.Status, e.Bytes, e.Reason, e.Attempts,
            t == null ? null : t.Name, c == null ? null : c.Name, e.Counted);

    private static void EnsureSortable(string? sortBy)
    {
        if (sortBy is not null && !SortFields.Contains(sortBy, StringComparer.OrdinalIgnoreCase))
        {
            throw new ValidationException([new ValidationFailure("sort", $"sort must be one of: {string.Join(", ", SortFields)}.")]);
        }
    }

    /// <summary>
    /// An id that names nothing is a mistake worth saying so (a typo would otherwise read as "no downloads"); the
    /// Downloads page shows the message beside the filter and keeps the filter, so the grid shows no rows. Known
    /// means it exists now or appears in the history, which outlives deleted tokens, customers and repositories.
    /// </summary>
    private static async Task EnsureKnownAsync(AppDbContext db, DownloadQuery query, CancellationToken cancellationToken)
    {
        var events = db.Set<DownloadEvent>();
        var failures = new List<ValidationFailure>();
        if (query.CustomerId is { } customerId && !await db.Set<Customer>().AnyAsync(c => c.Id == customerId, cancellationToken)
            && !await events.AnyAsync(e => e.CustomerId == customerId, cancellationToken))
        {
            failures.Add(new ValidationFailure("customerId", $"There is no customer {customerId}."));
        }
        if (query.TokenId is { } tokenId && !await db.Set<EntitlementToken>().AnyAsync(t => t.Id == tokenId, cancellationToken)
            && !await events.AnyAsync(e => e.TokenId == tokenId, cancellationToken))
        {
            failures.Add(new ValidationFailure("tokenId", $"There is no token {tokenId}."));
        }
        if (query.UserId is { } userId && !await db.Users.AnyAsync(u => u.Id == userId, cancellationToken)
            && !await events.AnyAsync(e => e.UserId == userId, cancellationToken))
        {
            failures.Add(new ValidationFailure("userId", $"There is no user {userId}."));
        }
        if (query.Repo is { } repo && !await db.Set<Repository>().AnyAsync(r => r.Slug == repo, cancellationToken)
            && !await events.AnyAsync(e => e.Repo == repo, cancellationToken))
        {
            failures.Add(new ValidationFailure("repo", $"There is no repository '{repo}'."));
        }
        if (query.From > query.To)
        {
            failures.Add(new ValidationFailure("to", "to must not be before from."));
        }
        if (failures.Count > 0)
        {
            throw new ValidationException(failures);
        }
    }

    private static void EnsureCanRead(Actor actor)
    {
        PermissionCheck.Ensure(actor, Permission.ViewDownloadHistory);
    }
}
