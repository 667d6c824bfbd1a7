using System.Text.Json;
using System.Text.Json.Serialization;
using EntitlementPortal.Features.Shared;

namespace EntitlementPortal.Features.Customers;

/// <summary>What a person or the API sends to create or change a customer (the form binds to it too).</summary>
public sealed class CustomerInput
{
    public string Name { get; set; } = "";
    public string? Email { get; set; }
    public string? Company { get; set; }
    public string? ExternalRef { get; set; }
    public string? LicenseKey { get; set; }
    public string? Plan { get; set; }
    public DateTime? SubscriptionEndsAt { get; set; }
    public string? Notes { get; set; }

    /// <summary>A JSON object as text, or empty. The form edits this text.</summary>
    [JsonIgnore]
    public string? MetadataJson { get; set; }

    /// <summary>The API's view of the same field: a JSON value (validated to be an object).</summary>
    [JsonPropertyName("metadata")]
    public JsonElement? Metadata
    {
        get => JsonMetadata.ToElement(MetadataJson);
        set => MetadataJson = JsonMetadata.FromElement(value);
    }
}

public sealed record CustomerView(
    int Id,
    string Name,
    string? Email,
    string? Company,
    string? ExternalRef,
    string? LicenseKey,
    string? Plan,
    DateTime? SubscriptionEndsAt,
    string? Notes,
    [property: JsonIgnore] string? MetadataJson,
    CustomerStatus Status,
    DateTime? RevokedAt,
    DateTime CreatedAt,
    DateTime UpdatedAt)
{
    public JsonElement? Metadata => JsonMetadata.ToElement(MetadataJson);

    public CustomerInput ToInput() => new()
    {
        Name = Name,
        Email = Email,
        Company = Company,
        ExternalRef = ExternalRef,
        LicenseKey = LicenseKey,
        Plan = Plan,
        SubscriptionEndsAt = SubscriptionEndsAt,
        Notes = Notes,
        MetadataJson = MetadataJson,
    };
}
