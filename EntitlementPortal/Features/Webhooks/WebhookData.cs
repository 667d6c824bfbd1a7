using System.Text.Json;
using EntitlementPortal.Features.Customers;
using EntitlementPortal.Features.Tokens;

namespace EntitlementPortal.Features.Webhooks;

/// <summary>What a token event says about the token: identity, owner and state, never its secret.</summary>
public sealed record WebhookTokenData(
    int Id, string Repo, string Name, string Kind, int? CustomerId, bool IsActive, DateTime? LimitDateTo,
    long Downloads, long? LimitDownloads, int Clients, int? LimitClients, long BandwidthBytes, long? LimitBandwidthBytes,
    JsonElement? Metadata);

public sealed record WebhookCustomerData(int Id, string Name, string? ExternalRef, string Status, DateTime? SubscriptionEndsAt);

public sealed record WebhookPackageData(string Repo, string Name, string Version, string Format);

/// <summary>The "data" object of each event, in the API's JSON names.</summary>
public static class WebhookData
{
    private static readonly JsonSerializerOptions Json = CreateOptions();

    public static object Token(EntitlementToken token, string repo) => new { token = TokenOf(token, repo) };

    public static WebhookTokenData TokenOf(EntitlementToken token, string repo) =>
        new(token.Id, repo, token.Name, token.Kind.ToString().ToLowerInvariant(), token.CustomerId,
            token.IsActive && !token.IsDeleted, token.LimitDateTo, token.Downloads, token.LimitDownloads, token.Clients,
            token.LimitClients, token.BandwidthBytes, token.LimitBandwidthBytes, Metadata(token.MetadataJson));

    public static object Customer(Customer customer) => new { customer = CustomerOf(customer) };

    public static WebhookCustomerData CustomerOf(Customer customer) =>
        new(customer.Id, customer.Name, customer.ExternalRef, customer.Status.ToString().ToLowerInvariant(), customer.SubscriptionEndsAt);

    public static object Package(string repo, string name, string version, string format) => new
    {
        package = new WebhookPackageData(repo, name, version, format),
    };

    private static JsonElement? Metadata(string? json) =>
        string.IsNullOrEmpty(json) ? null : JsonDocument.Parse(json).RootElement.Clone();

    public static string Serialize(object data) => JsonSerializer.Serialize(data, Json);

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions();
        Api.ManagementApi.ConfigureJson(options);
        return options;
    }
}
