namespace EntitlementPortal.Features.Webhooks;

/// <summary>
/// "This once-only event was raised": the unique index on (Event, SubjectId, Key) lets exactly one instance raise
/// it (expiry warnings per threshold and end date, a limit reached per limit until the next reset).
/// </summary>
public sealed class WebhookNotice
{
    public long Id { get; set; }
    public required string Event { get; set; }
    public int SubjectId { get; set; }

    /// <summary>What makes this occurrence distinct, e.g. "7d@2027-08-01T00:00:00Z" or "download_limit".</summary>
    public required string Key { get; set; }

    public DateTime CreatedAt { get; set; }
}
