using EntitlementPortal.Data;
using Microsoft.EntityFrameworkCore;

namespace EntitlementPortal.Features.Webhooks;

/// <summary>
/// Raises events inside a change's unit of work: one outbox row (<see cref="WebhookDelivery"/>) per subscription
/// that wants the event, added to the caller's context so the rows commit with the change or not at all. Nothing is
/// sent here; <see cref="WebhookDispatcher"/> sends after the commit, on whichever instance claims the row.
/// </summary>
public sealed class WebhookEvents(TimeProvider clock)
{
    /// <param name="repositoryId">The repository the event is about; null for events about no single repository
    /// (customers), which only subscriptions without a repository filter receive.</param>
    public async Task RaiseAsync(AppDbContext db, string eventName, int? repositoryId, object data, CancellationToken cancellationToken)
    {
        var audience = await AudienceAsync(db, cancellationToken);
        audience.Raise(db, eventName, repositoryId, data);
    }

    /// <summary>A token event; only standard tokens raise them (user tokens belong to the portal's own people).</summary>
    public Task RaiseTokenAsync(AppDbContext db, string eventName, Tokens.EntitlementToken token, string repo, CancellationToken cancellationToken) =>
        token.Kind == Tokens.TokenKind.Standard
            ? RaiseAsync(db, eventName, token.RepositoryId, WebhookData.Token(token, repo), cancellationToken)
            : Task.CompletedTask;

    /// <summary>The active subscriptions, read once for raising many events in one unit of work.</summary>
    public async Task<WebhookAudience> AudienceAsync(AppDbContext db, CancellationToken cancellationToken)
    {
        var subscriptions = await db.Set<WebhookSubscription>().AsNoTracking().Where(s => s.IsActive)
            .Select(s => new { s.Id, s.RepositoryId, s.Events })
            .ToListAsync(cancellationToken);
        return new WebhookAudience(
            subscriptions.Select(s => new WebhookAudience.Subscriber(s.Id, s.RepositoryId, WebhookEventNames.Split(s.Events).ToHashSet())).ToList(),
            clock);
    }

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

/// <summary>Who listens, as read at the start of a unit of work; adds the deliveries an event calls for.</summary>
public sealed class WebhookAudience
{
    private readonly IReadOnlyList<Subscriber> subscribers;
    private readonly TimeProvider clock;

    internal WebhookAudience(IReadOnlyList<Subscriber> subscribers, TimeProvider clock)
    {
        this.subscribers = subscribers;
        this.clock = clock;
    }

    public bool IsEmpty => subscribers.Count == 0;

    public bool Wants(string eventName, int? repositoryId) => subscribers.Any(s => s.Wants(eventName, repositoryId));

    public void Raise(AppDbContext db, string eventName, int? repositoryId, object data, DateTime? at = null)
    {
        var wanting = subscribers.Where(s => s.Wants(eventName, repositoryId)).ToList();
        if (wanting.Count == 0)
        {
            return;
        }
        var json = WebhookData.Serialize(data);
        var now = clock.GetUtcNow().UtcDateTime;
        foreach (var subscriber in wanting)
        {
            db.Add(WebhookEvents.NewDelivery(subscriber.Id, eventName, at ?? now, json, now));
        }
    }

    internal sealed record Subscriber(int Id, int? RepositoryId, IReadOnlySet<string> Events)
    {
        // Events about no single repository go only to subscriptions without a repository filter.
        public bool Wants(string eventName, int? repositoryId) =>
            Events.Contains(eventName) && (RepositoryId is null || RepositoryId == repositoryId);
    }
}
