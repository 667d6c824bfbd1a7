using EntitlementPortal.Data;
using EntitlementPortal.Features.Downloads;
using EntitlementPortal.Features.Repositories;
using EntitlementPortal.Features.Permissions;
using EntitlementPortal.Features.Shared;
using EntitlementPortal.Features.Tokens;
using EntitlementPortal.Identity;
using FluentValidation;
using FluentValidation.Results;
using Microsoft.EntityFrameworkCore;

namespace EntitlementPortal.Features.Analytics;

public sealed record TokenCounts(int Active, int Inactive, int Total);

/// <summary>Over the tokens counted in <see cref="TokenCounts.Total"/>; a token without any counts as 0.</summary>
public sealed record MetricSummary(long Total, double Average, long Lowest, long Highest)
{
    public static MetricSummary Over(IReadOnlyCollection<long> perToken) => perToken.Count == 0
        ? new MetricSummary(0, 0, 0, 0)
        : new MetricSummary(perToken.Sum(), (double)perToken.Sum() / perToken.Count, perToken.Min(), perToken.Max());
}

/// <summary>The JSON of <c>GET /api/v1/repos/{repo}/metrics</c>.</summary>
public sealed record RepositoryMetrics(TokenCounts Tokens, MetricSummary Downloads, MetricSummary BandwidthBytes);

/// <summary>
/// Repository metrics over a period: the standard tokens that are not deleted (optionally some of them), with
/// counted downloads and bytes served per token from the daily rollup, so the totals outlive history retention.
/// </summary>
public sealed class RepositoryMetricsService(IDbContextFactory<AppDbContext> dbFactory)
{
    public async Task<RepositoryMetrics> GetAsync(Actor actor, string repo, AnalyticsPeriod period, IReadOnlyCollection<int>? tokenIds = null,
        CancellationToken cancellationToken = default)
    {
        EnsureCanRead(actor);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var repositoryId = await db.Set<Repository>().Where(r => r.Slug == repo).Select(r => (int?)r.Id).FirstOrDefaultAsync(cancellationToken)
            ?? throw new NotFoundException($"Repository '{repo}'");
        var tokens = await db.Set<EntitlementToken>().AsNoTracking()
            .Where(t => t.RepositoryId == repositoryId && t.Kind == TokenKind.Standard && !t.IsDeleted)
            .Select(t => new { t.Id, t.IsActive })
            .ToListAsync(cancellationToken);
        if (tokenIds is { Count: > 0 })
        {
            var unknown = tokenIds.Except(tokens.Select(t => t.Id)).ToList();
            if (unknown.Count > 0)
            {
                throw new ValidationException([new ValidationFailure("tokens",
                    $"Not standard tokens of '{repo}' (or deleted): {string.Join(", ", unknown)}.")]);
            }
            tokens = tokens.Where(t => tokenIds.Contains(t.Id)).ToList();
        }

        var ids = tokens.Select(t => t.Id).ToList();
        // The repository's tokens as a subquery, not a list of ids: a repository can hold tens of thousands.
        var chosen = tokenIds is { Count: > 0 } ? tokenIds.ToList() : null;
        var repositoryTokens = db.Set<EntitlementToken>()
            .Where(t => t.RepositoryId == repositoryId && t.Kind == TokenKind.Standard && !t.IsDeleted)
            .Where(t => chosen == null || chosen.Contains(t.Id))
            .Select(t => t.Id);
        // Whole days from the rollup (they survive retention), part days at the ends of an API period from the events.
        var days = period.Days();
        var wholeDays = await days.Apply(db.Set<TokenDailyUsage>().AsNoTracking())
            .Where(u => repositoryTokens.Contains(u.TokenId))
            .GroupBy(u => u.TokenId)
            .Select(g => new { TokenId = g.Key, Downloads = g.Sum(u => u.Downloads), Bytes = g.Sum(u => u.Bytes) })
            .ToListAsync(cancellationToken);
        var partDays = await days.ApplyToParts(db.Set<DownloadEvent>().AsNoTracking())
            .Where(e => e.TokenId != null && repositoryTokens.Contains(e.TokenId.Value))
            .GroupBy(e => e.TokenId!.Value)
            .Select(g => new
            {
                TokenId = g.Key,
                Downloads = g.LongCount(e => e.Counted),
                // Bytes the file responses sent (ranges included); index reads are not bandwidth.
                Bytes = g.Where(e => e.Status < 400 && e.Filename != null).Sum(e => e.Bytes),
            })
            .ToListAsync(cancellationToken);
        var usage = wholeDays.Concat(partDays).GroupBy(u => u.TokenId)
            .ToDictionary(g => g.Key, g => (Downloads: g.Sum(u => u.Downloads), Bytes: g.Sum(u => u.Bytes)));

        var active = tokens.Count(t => t.IsActive);
        return new RepositoryMetrics(
            new TokenCounts(active, tokens.Count - active, tokens.Count),
            MetricSummary.Over(ids.Select(id => usage.TryGetValue(id, out var u) ? u.Downloads : 0).ToList()),
            MetricSummary.Over(ids.Select(id => usage.TryGetValue(id, out var u) ? u.Bytes : 0).ToList()));
    }

    /// <summary><c>tokens=1,2,3</c> from the query string; anything but positive whole numbers is a 400.</summary>
    public static IReadOnlyCollection<int>? ParseTokenIds(string? tokens)
    {
        if (string.IsNullOrWhiteSpace(tokens))
        {
            return null;
        }
        var ids = new HashSet<int>();
        foreach (var part in tokens.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (!int.TryParse(part, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id) || id < 1)
            {
                throw new ValidationException([new ValidationFailure("tokens", "tokens must be comma-separated token ids, e.g. tokens=1,2.")]);
            }
            ids.Add(id);
        }
        return ids;
    }

    private static void EnsureCanRead(Actor actor)
    {
        PermissionCheck.Ensure(actor, Permission.ViewDownloadHistory);
    }
}
