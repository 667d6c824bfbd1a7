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
/// counted downloads and bytes served per token from the download history.
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
        var usage = await period.Apply(db.Set<DownloadEvent>().AsNoTracking())
            .Where(e => e.TokenId != null && ids.Contains(e.TokenId.Value))
            .GroupBy(e => e.TokenId!.Value)
            .Select(g => new
            {
                TokenId = g.Key,
                Downloads = g.LongCount(e => e.Counted),
                // Bytes the file responses sent (ranges included); index reads are not bandwidth.
                Bytes = g.Where(e => e.Status < 400 && e.Filename != null).Sum(e => e.Bytes),
            })
            .ToDictionaryAsync(u => u.TokenId, cancellationToken);

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
