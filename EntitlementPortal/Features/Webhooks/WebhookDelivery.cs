namespace EntitlementPortal.Features.Webhooks;

public enum WebhookDeliveryStatus
{
    Pending,
    Delivered,
    Failed,
}

/// <summary>
/// One event for one subscription: the outbox row, written in the same transaction as the change it reports, then
/// sent (and retried) by whichever instance claims it first. <see cref="Id"/> is the delivery id the receiver sees in
/// the body and the X-EntitlementPortal-Delivery header; every retry keeps it.
/// </summary>
public sealed class WebhookDelivery
{
    public required string Id { get; set; }
    public int SubscriptionId { get; set; }
    public WebhookSubscription? Subscription { get; set; }
    public required string Event { get; set; }

    /// <summary>When the event happened (the body's "at").</summary>
    public DateTime At { get; set; }

    /// <summary>The body's "data" object as JSON; never holds a secret.</summary>
    public required string DataJson { get; set; }

    public WebhookDeliveryStatus Status { get; set; } = WebhookDeliveryStatus.Pending;

    /// <summary>Attempts started so far; also the claim's version (a claim is "WHERE Attempts = what I read").</summary>
    public int Attempts { get; set; }

    public DateTime? NextAttemptAt { get; set; }

    /// <summary>While an instance sends this delivery, until when the others leave it alone.</summary>
    public DateTime? LeaseUntil { get; set; }

    public DateTime? LastAttemptAt { get; set; }
    public int? LastStatusCode { get; set; }
    public string? LastResponseExcerpt { get; set; }
    public string? LastError { get; set; }
    public DateTime? DeliveredAt { get; set; }

    /// <summary>The delivery this one sends again ("send again" makes a new delivery with a new id).</summary>
    public string? ResentFromId { get; set; }

    public DateTime CreatedAt { get; set; }
}
