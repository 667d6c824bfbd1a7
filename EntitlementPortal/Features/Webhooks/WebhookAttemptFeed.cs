namespace EntitlementPortal.Features.Webhooks;

/// <summary>One finished attempt, as recorded: the delivery's state after it.</summary>
public sealed record WebhookAttemptRecorded(string DeliveryId, int Attempt, WebhookDeliveryStatus Status, int? StatusCode, string? Error);

/// <summary>
/// Tells listeners in this process (the log, tests awaiting an outcome) that an attempt was recorded. Informational
/// only: the database row is the truth, and other instances never hear of this.
/// </summary>
public sealed class WebhookAttemptFeed
{
    public event Action<WebhookAttemptRecorded>? Recorded;

    internal void Publish(WebhookAttemptRecorded attempt) => Recorded?.Invoke(attempt);
}
