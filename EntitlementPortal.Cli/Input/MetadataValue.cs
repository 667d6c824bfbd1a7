using System.Text.Json;

namespace EntitlementPortal.Cli.Input;

/// <summary>A metadata option: <c>@file.json</c> (or inline JSON text); either way it must be one JSON object.</summary>
public static class MetadataValue
{
    public static JsonElement Parse(string text, string optionName)
    {
        string json;
        var source = "the value";
        if (text.StartsWith('@'))
        {
            var path = text[1..];
            source = path;
            try
            {
                json = File.ReadAllText(path);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
            {
                throw new UsageException($"{optionName}: cannot read '{path}': {ex.Message}");
            }
        }
        else
        {
            json = text;
        }
        JsonElement value;
        try
        {
            value = JsonSerializer.Deserialize<JsonElement>(json);
        }
        catch (JsonException ex)
        {
            throw new UsageException($"{optionName}: {source} is not valid JSON ({ex.Message.Split(" Path:")[0]})");
        }
        return value.ValueKind == JsonValueKind.Object
            ? value
            : throw new UsageException($"{optionName}: {source} must hold a JSON object ({{\"key\": \"value\"}}), not {Describe(value.ValueKind)}.");
    }

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.Null => "null",
        _ => "true/false",
    };
}
