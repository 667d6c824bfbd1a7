using EntitlementPortal.Data;
using Microsoft.EntityFrameworkCore;

namespace EntitlementPortal.Features.Webhooks;

/// <summary>
/// Raises an event inside a change's unit of work: one outbox row (<see cref="WebhookDelivery"/>) per subscription
/// that wants it, added to the caller's context so the rows commit with the change or not at all. Nothing is sent
/// here; <see cref="WebhookDispatcher"/> sends after the commit, on whichever instance claims the row.
/// </summary>
public sealed class WebhookEvents(TimeProvider clock)
{
    /// <param name="repositoryId">The repository the event is about; null for events about no single repository
    /// (customers), which only subscriptions without a repository filter receive.</param>
    public async Task RaiseAsync(AppDbContext db, string eventName, int? repositoryId, object data, CancellationToken cancellationToken)
    {
        var subscriptions = db.Set<WebhookSubscription>().AsNoTracking().Where(s => s.IsActive);
        subscriptions = repositoryId is { } repository
            ? subscriptions.Where(s => s.RepositoryId == null || s.RepositoryId == repository)
            : subscriptions.Where(s => s.RepositoryId == null);
        var candidates = await subscriptions.Select(s => new { s.Id, s.Events }).ToListAsync(cancellationToken);
        var wanting = candidates.Where(s => WebhookEventNames.Split(s.Events).Contains(eventName)).Select(s => s.Id).ToList();
        if (wanting.Count == 0)
        {
            return;
        }
        var json = WebhookData.Serialize(data);
        var now = clock.GetUtcNow().UtcDateTime;
        foreach (var subscription in wanting)
        {
            db.Add(NewDelivery(subscription, eventName, now, json, now));
        }
    }

    /// <summary>A token event; only standard tokens raise them (user tokens belong to the portal's own people).</summary>
    public Task RaiseTokenAsync(AppDbContext db, string eventName, Tokens.EntitlementToken token, string repo, CancellationToken cancellationToken) =>
        token.Kind == Tokens.TokenKind.Standard
            ? RaiseAsync(db, eventName, token.RepositoryId, WebhookData.Token(token, repo), cancellationToken)
            : Task.CompletedTask;

    internal static WebhookDelivery NewDelivery(int subscriptionId, string eventName, DateTime at, string dataJson, DateTime now) => new()
    {
        Id = Guid.NewGuid().ToString(),
        SubscriptionId = subscriptionId,
        Event = eventName,
        At = at,
        DataJson = dataJson,
        NextAttemptAt = now,
        CreatedAt = now,
    };
}
