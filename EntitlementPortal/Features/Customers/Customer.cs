namespace EntitlementPortal.Features.Customers;

public enum CustomerStatus
{
    Active,
    Revoked,
}

/// <summary>A vendor's customer: who holds tokens, under which licence.</summary>
public sealed class Customer
{
    public int Id { get; set; }
    public required string Name { get; set; }
    public string? Email { get; set; }
    public string? Company { get; set; }
    public string? ExternalRef { get; set; }
    public string? LicenseKey { get; set; }
    public string? Plan { get; set; }
    public DateTime? SubscriptionEndsAt { get; set; }
    public string? Notes { get; set; }
    public string? MetadataJson { get; set; }
    public CustomerStatus Status { get; set; } = CustomerStatus.Active;
    public DateTime? RevokedAt { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}
