using System.Text.Json;

namespace EntitlementPortal.Cli.Client.Models;

public sealed record CustomerView(
    int Id, string Name, string? Email, string? Company, string? ExternalRef, string? Plan,
    DateTime? SubscriptionEndsAt, string Status, DateTime? RevokedAt, DateTime CreatedAt, JsonElement? Metadata);

public sealed record CustomerCreateRequest(
    string Name, string? Email, string? Company, string? ExternalRef, string? Plan, string? Notes, JsonElement? Metadata,
    DateTime? SubscriptionEndsAt = null);

public sealed record CustomerUpdateRequest(
    string? Name, string? Email, string? Company, string? ExternalRef, string? Plan, string? Notes, JsonElement? Metadata,
    DateTime? SubscriptionEndsAt = null);
