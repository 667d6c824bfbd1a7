using EntitlementPortal.Data;
using EntitlementPortal.Features.Downloads;
using EntitlementPortal.Features.Repositories;
using EntitlementPortal.Features.Tokens;
using Microsoft.EntityFrameworkCore;

namespace EntitlementPortal.Features.Webhooks;

/// <summary>
/// The webhook side of storing a batch of download events, in the batch's own transaction (so a retried batch raises
/// nothing twice): <c>download.refused</c> for each refusal of a known token, and <c>token.limit_reached</c> the first
/// time a token is refused for a download, client or bandwidth limit — once per limit until the token's usage is
/// reset or that limit changes (see <see cref="WebhookNotices"/>). Refusals without a token (unknown secrets) and
/// rate-limit floods raise nothing: they would turn an attack into a flood of webhooks.
/// </summary>
public sealed class DownloadRefusalWebhooks(WebhookEvents webhooks)
{
    private static readonly Dictionary<string, string> Limits = new(StringComparer.Ordinal)
    {
        ["download_limit"] = "downloads",
        ["client_limit"] = "clients",
        ["bandwidth_limit"] = "bandwidth",
    };

    public async Task RaiseAsync(AppDbContext db, IReadOnlyCollection<DownloadEvent> batch, CancellationToken cancellationToken)
    {
        var refused = batch.Where(IsRefusalOfAToken).ToList();
        if (refused.Count == 0)
        {
            return;
        }
        var audience = await webhooks.AudienceAsync(db, cancellationToken);
        if (audience.IsEmpty)
        {
            return;
        }
        var slugs = refused.Select(e => e.Repo).Distinct().ToList();
        var repositories = await db.Set<Repository>().AsNoTracking().Where(r => slugs.Contains(r.Slug))
            .ToDictionaryAsync(r => r.Slug, r => r.Id, cancellationToken);
        foreach (var refusal in refused)
        {
            audience.Raise(db, WebhookEventNames.DownloadRefused, repositories.GetValueOrDefault(refusal.Repo), new
            {
                download = new
                {
                    refusal.At, refusal.Repo, refusal.Package, refusal.Version, refusal.Filename, refusal.TokenId, refusal.CustomerId,
                    refusal.ClientIp, refusal.UserAgent, refusal.Status, refusal.Reason,
                },
            }, refusal.At);
        }
        await RaiseLimitsReachedAsync(db, audience, refused, cancellationToken);
    }

    private static async Task RaiseLimitsReachedAsync(AppDbContext db, WebhookAudience audience, List<DownloadEvent> refused, CancellationToken cancellationToken)
    {
        var firsts = refused.Where(e => e.Reason is not null && Limits.ContainsKey(e.Reason))
            .GroupBy(e => (Token: e.TokenId!.Value, Reason: e.Reason!)).Select(g => g.First()).ToList();
        if (firsts.Count == 0)
        {
            return;
        }
        var tokenIds = firsts.Select(e => e.TokenId!.Value).Distinct().ToList();
        var noticed = await db.Set<WebhookNotice>().AsNoTracking()
            .Where(n => n.Event == WebhookEventNames.TokenLimitReached && tokenIds.Contains(n.SubjectId))
            .Select(n => new { n.SubjectId, n.Key }).ToListAsync(cancellationToken);
        var tokens = await db.Set<EntitlementToken>().AsNoTracking().Include(t => t.Repository)
            .Where(t => tokenIds.Contains(t.Id) && t.Kind == TokenKind.Standard).ToDictionaryAsync(t => t.Id, cancellationToken);
        foreach (var first in firsts)
        {
            var tokenId = first.TokenId!.Value;
            if (noticed.Any(n => n.SubjectId == tokenId && n.Key == first.Reason) || !tokens.TryGetValue(tokenId, out var token))
            {
                continue;
            }
            // A concurrent batch on another instance that noticed the same limit makes this insert violate the unique
            // index; the whole batch then fails and is retried, and the retry finds the notice.
            db.Add(new WebhookNotice { Event = WebhookEventNames.TokenLimitReached, SubjectId = tokenId, Key = first.Reason!, CreatedAt = first.At });
            audience.Raise(db, WebhookEventNames.TokenLimitReached, token.RepositoryId,
                new { token = WebhookData.TokenOf(token, token.Repository!.Slug), limit = Limits[first.Reason!] }, first.At);
        }
        await db.SaveChangesAsync(cancellationToken);
    }

    private static bool IsRefusalOfAToken(DownloadEvent e) =>
        e.TokenId is not null && e.Reason is not null && e.Status is >= 400 and < 500 and not 429 and not 416 && !FloodSummary.Applies(e);
}

/// <summary>Forgetting once-only notices when what they were about starts over.</summary>
public static class WebhookNotices
{
    /// <summary>After a usage reset (or a limit change) the token's limits can be reached, and reported, again.</summary>
    public static Task ForgetLimitsReachedAsync(AppDbContext db, int tokenId, CancellationToken cancellationToken) =>
        db.Set<WebhookNotice>().Where(n => n.Event == WebhookEventNames.TokenLimitReached && n.SubjectId == tokenId)
            .ExecuteDeleteAsync(cancellationToken);
}
