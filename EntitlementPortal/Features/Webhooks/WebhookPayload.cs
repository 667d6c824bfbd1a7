using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace EntitlementPortal.Features.Webhooks;

/// <summary>The bytes a receiver gets and their signature; the same delivery always renders the same bytes.</summary>
public static class WebhookPayload
{
    public const string EventHeader = "X-EntitlementPortal-Event";
    public const string DeliveryHeader = "X-EntitlementPortal-Delivery";
    public const string SignatureHeader = "X-EntitlementPortal-Signature";

    /// <summary><c>{ "id", "event", "at", "data" }</c>.</summary>
    public static byte[] Render(string id, string eventName, DateTime at, string dataJson)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("id", id);
            writer.WriteString("event", eventName);
            writer.WriteString("at", DateTime.SpecifyKind(at, DateTimeKind.Utc));
            writer.WritePropertyName("data");
            writer.WriteRawValue(dataJson);
            writer.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary><c>sha256=</c> and the lowercase hex HMAC-SHA256 of the raw body under the subscription's secret.</summary>
    public static string Sign(ReadOnlySpan<byte> body, string secret) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));
}
