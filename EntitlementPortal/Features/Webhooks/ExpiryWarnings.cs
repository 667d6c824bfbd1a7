using System.Globalization;
using EntitlementPortal.Data;
using EntitlementPortal.Features.Customers;
using EntitlementPortal.Features.Shared;
using EntitlementPortal.Features.Tokens;
using Microsoft.EntityFrameworkCore;

namespace EntitlementPortal.Features.Webhooks;

/// <summary>What one round of expiry warnings did: warnings raised, and due ones another instance raised first.</summary>
public sealed record WarningRound(int Raised, int Skipped);

/// <summary>
/// <c>token.expiring</c> 7 days and 1 day before a token's <c>limitDateTo</c>, and
/// <c>customer.subscription_expiring</c> 30, 7 and 1 days before <c>subscriptionEndsAt</c>. Every instance runs
/// this (<see cref="ExpiryWarningScheduler"/>); each warning is raised once, by the instance whose notice row the
/// unique index admits, in the same transaction as its deliveries. A warning is for one end date: moving the date
/// warns again for the new one. Only the nearest threshold is raised (a token created 12 hours before it expires
/// gets the 1-day warning, not a late 7-day one too).
/// </summary>
public sealed class ExpiryWarnings(IDbContextFactory<AppDbContext> dbFactory, WebhookEvents webhooks, TimeProvider clock)
{
    private static readonly int[] TokenThresholds = [1, 7];
    private static readonly int[] CustomerThresholds = [1, 7, 30];

    public async Task<WarningRound> RaiseDueAsync(CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        List<Due> due;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            var audience = await webhooks.AudienceAsync(db, cancellationToken);
            if (audience.IsEmpty)
            {
                return new WarningRound(0, 0);
            }
            due = [.. await DueTokensAsync(db, now, cancellationToken), .. await DueCustomersAsync(db, now, cancellationToken)];
            var subjects = due.Select(d => d.SubjectId).Distinct().ToList();
            var raised = await db.Set<WebhookNotice>().AsNoTracking()
                .Where(n => n.Event == WebhookEventNames.TokenExpiring || n.Event == WebhookEventNames.CustomerSubscriptionExpiring)
                .Where(n => subjects.Contains(n.SubjectId))
                .Select(n => new { n.Event, n.SubjectId, n.Key })
                .ToListAsync(cancellationToken);
            due.RemoveAll(d => raised.Any(r => r.Event == d.Event && r.SubjectId == d.SubjectId && r.Key == d.Key));
        }
        var count = 0;
        foreach (var warning in due)
        {
            if (await TryRaiseAsync(warning, cancellationToken))
            {
                count++;
            }
        }
        return new WarningRound(count, due.Count - count);
    }

    private async Task<bool> TryRaiseAsync(Due warning, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // The notice is the transaction's first statement: a write, so on SQLite this instance holds the write lock
        // before it reads anything, and the instance that loses waits and then meets the unique index.
        db.Add(new WebhookNotice { Event = warning.Event, SubjectId = warning.SubjectId, Key = warning.Key, CreatedAt = clock.GetUtcNow().UtcDateTime });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (DatabaseErrors.IsUniqueViolation(ex))
        {
            return false; // another instance raised this warning first
        }
        await webhooks.RaiseAsync(db, warning.Event, warning.RepositoryId, warning.Data, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    private static async Task<IEnumerable<Due>> DueTokensAsync(AppDbContext db, DateTime now, CancellationToken cancellationToken)
    {
        var horizon = now.AddDays(TokenThresholds.Max());
        var tokens = await db.Set<EntitlementToken>().AsNoTracking().Include(t => t.Repository)
            .Where(t => t.Kind == TokenKind.Standard && t.IsActive && !t.IsDeleted
                && t.LimitDateTo != null && t.LimitDateTo > now && t.LimitDateTo <= horizon)
            .ToListAsync(cancellationToken);
        return tokens.Select(t =>
        {
            var days = Nearest(TokenThresholds, t.LimitDateTo!.Value - now);
            var data = new { token = WebhookData.TokenOf(t, t.Repository!.Slug), daysBefore = days, expiresAt = t.LimitDateTo };
            return new Due(WebhookEventNames.TokenExpiring, t.Id, Key(days, t.LimitDateTo.Value), t.RepositoryId, data);
        });
    }

    private static async Task<IEnumerable<Due>> DueCustomersAsync(AppDbContext db, DateTime now, CancellationToken cancellationToken)
    {
        var horizon = now.AddDays(CustomerThresholds.Max());
        var customers = await db.Set<Customer>().AsNoTracking()
            .Where(c => c.Status == CustomerStatus.Active && c.SubscriptionEndsAt != null && c.SubscriptionEndsAt > now && c.SubscriptionEndsAt <= horizon)
            .ToListAsync(cancellationToken);
        return customers.Select(c =>
        {
            var days = Nearest(CustomerThresholds, c.SubscriptionEndsAt!.Value - now);
            var data = new { customer = WebhookData.CustomerOf(c), daysBefore = days, endsAt = c.SubscriptionEndsAt };
            return new Due(WebhookEventNames.CustomerSubscriptionExpiring, c.Id, Key(days, c.SubscriptionEndsAt.Value), null, data);
        });
    }

    /// <summary>The smallest threshold (in days) the time left is within.</summary>
    private static int Nearest(int[] thresholds, TimeSpan left) => thresholds.Where(d => left <= TimeSpan.FromDays(d)).Min();

    private static string Key(int days, DateTime endsAt) =>
        string.Create(CultureInfo.InvariantCulture, $"{days}d@{endsAt:yyyy-MM-ddTHH:mm:ssZ}");

    private sealed record Due(string Event, int SubjectId, string Key, int? RepositoryId, object Data);
}
