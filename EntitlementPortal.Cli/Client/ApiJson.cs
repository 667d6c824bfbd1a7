using System.Text.Json;
using System.Text.Json.Serialization;

namespace EntitlementPortal.Cli.Client;

/// <summary>The API's JSON conventions: camelCase names, ISO-8601 times; absent optional fields are not sent.</summary>
public static class ApiJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        // The API refuses unknown fields and treats a present null as "clear": only send what was asked for.
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static JsonSerializerOptions Indented { get; } = new(Options) { WriteIndented = true };
}
