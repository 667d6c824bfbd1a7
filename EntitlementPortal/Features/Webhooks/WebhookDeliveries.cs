using EntitlementPortal.Data;
using EntitlementPortal.Features.Permissions;
using EntitlementPortal.Features.Shared;
using Microsoft.EntityFrameworkCore;

namespace EntitlementPortal.Features.Webhooks;

/// <summary>A subscription's deliveries: the history, "send again" and the test event. Administrators only.</summary>
public sealed class WebhookDeliveries(IDbContextFactory<AppDbContext> dbFactory, TimeProvider clock)
{
    public async Task<PagedResult<WebhookDeliveryView>> ListAsync(
        Actor actor, int subscriptionId, PageRequest page, WebhookDeliveryStatus? status = null, CancellationToken cancellationToken = default)
    {
        PermissionCheck.Ensure(actor, Permission.ManageWebhooks);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await EnsureExistsAsync(db, subscriptionId, cancellationToken);
        var deliveries = db.Set<WebhookDelivery>().AsNoTracking().Where(d => d.SubscriptionId == subscriptionId);
        if (status is { } wanted)
        {
            deliveries = deliveries.Where(d => d.Status == wanted);
        }
        var total = await deliveries.CountAsync(cancellationToken);
        var items = await Views(deliveries.OrderByDescending(d => d.CreatedAt).ThenBy(d => d.Id).Skip(page.Skip).Take(page.SafePageSize))
            .ToListAsync(cancellationToken);
        return new PagedResult<WebhookDeliveryView>(items, total);
    }

    /// <summary>
    /// Sends a delivery's event again as a new delivery (a new id, so a receiver that de-duplicates by id takes it;
    /// the original keeps its history). Works for delivered and failed deliveries alike.
    /// </summary>
    public async Task<WebhookDeliveryView> ResendAsync(Actor actor, int subscriptionId, string deliveryId, CancellationToken cancellationToken = default)
    {
        PermissionCheck.Ensure(actor, Permission.ManageWebhooks);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var original = await db.Set<WebhookDelivery>().AsNoTracking()
            .FirstOrDefaultAsync(d => d.Id == deliveryId && d.SubscriptionId == subscriptionId, cancellationToken)
            ?? throw new NotFoundException($"Delivery '{deliveryId}' of webhook {subscriptionId}");
        var now = clock.GetUtcNow().UtcDateTime;
        var again = WebhookEvents.NewDelivery(subscriptionId, original.Event, original.At, original.DataJson, now);
        again.ResentFromId = original.Id;
        db.Add(again);
        await db.SaveChangesAsync(cancellationToken);
        return await Views(db.Set<WebhookDelivery>().AsNoTracking().Where(d => d.Id == again.Id)).SingleAsync(cancellationToken);
    }

    /// <summary>Queues a <c>webhook.test</c> delivery, sent like any other (signed, retried), whatever events are subscribed.</summary>
    public async Task<WebhookDeliveryView> SendTestAsync(Actor actor, int subscriptionId, CancellationToken cancellationToken = default)
    {
        PermissionCheck.Ensure(actor, Permission.ManageWebhooks);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var subscription = await db.Set<WebhookSubscription>().AsNoTracking().FirstOrDefaultAsync(s => s.Id == subscriptionId, cancellationToken)
            ?? throw WebhookSubscriptions.NotFound(subscriptionId);
        var now = clock.GetUtcNow().UtcDateTime;
        var data = WebhookData.Serialize(new { webhook = new { id = subscription.Id, url = subscription.Url, requestedBy = actor.Name } });
        var test = WebhookEvents.NewDelivery(subscriptionId, WebhookEventNames.Test, now, data, now);
        db.Add(test);
        await db.SaveChangesAsync(cancellationToken);
        return await Views(db.Set<WebhookDelivery>().AsNoTracking().Where(d => d.Id == test.Id)).SingleAsync(cancellationToken);
    }

    private static async Task EnsureExistsAsync(AppDbContext db, int subscriptionId, CancellationToken cancellationToken)
    {
        if (!await db.Set<WebhookSubscription>().AnyAsync(s => s.Id == subscriptionId, cancellationToken))
        {
            throw WebhookSubscriptions.NotFound(subscriptionId);
        }
    }

    private static IQueryable<WebhookDeliveryView> Views(IQueryable<WebhookDelivery> deliveries) =>
        deliveries.Select(d => new WebhookDeliveryView(d.Id, d.SubscriptionId, d.Event, d.At, d.Status, d.Attempts, d.NextAttemptAt,
            d.LastAttemptAt, d.LastStatusCode, d.LastResponseExcerpt, d.LastError, d.DeliveredAt, d.ResentFromId, d.CreatedAt));
}
