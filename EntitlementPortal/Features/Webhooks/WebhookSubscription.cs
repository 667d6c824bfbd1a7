using EntitlementPortal.Features.Repositories;

namespace EntitlementPortal.Features.Webhooks;

/// <summary>
/// A receiver the vendor's systems run: where to POST, which events, and the secret deliveries are signed with.
/// The secret is kept only as a Data Protection ciphertext (it must be recoverable to sign) and never shown again.
/// </summary>
public sealed class WebhookSubscription
{
    public int Id { get; set; }
    public required string Url { get; set; }

    /// <summary>The subscribed event names, space-separated (see <see cref="WebhookEventNames"/>).</summary>
    public required string Events { get; set; }

    public required string SecretCipher { get; set; }
    public bool IsActive { get; set; } = true;

    /// <summary>Only events of this repository when set; deleting the repository deletes the subscription.</summary>
    public int? RepositoryId { get; set; }
    public Repository? Repository { get; set; }

    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    public List<WebhookDelivery> Deliveries { get; set; } = [];
}
