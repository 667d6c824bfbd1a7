using System.Text.Encodings.Web;
using System.Text.Json;

namespace EntitlementPortal.Features.Shared;

/// <summary>Free-form metadata: stored as JSON text, always a JSON object (or nothing).</summary>
public static class JsonMetadata
{
    public const int MaxLength = 16 * 1024;

    /// <summary>Null when <paramref name="text"/> is empty or a JSON object; otherwise what is wrong, with the position.</summary>
    public static string? Problem(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
        if (text.Length > MaxLength)
        {
            return $"Metadata must be at most {MaxLength / 1024} KiB.";
        }
        try
        {
            using var document = JsonDocument.Parse(text, new JsonDocumentOptions { MaxDepth = 32 });
            return document.RootElement.ValueKind == JsonValueKind.Object
                ? null
                : $"Metadata must be a JSON object ({{ ... }}), not {Describe(document.RootElement.ValueKind)}.";
        }
        catch (JsonException ex)
        {
            var where = ex.LineNumber is { } line ? $" at line {line + 1}, position {ex.BytePositionInLine + 1}" : "";
            return $"Metadata is not valid JSON{where}.";
        }
        catch (ArgumentException)
        {
            // Text that is not even valid UTF-16 (a lone surrogate) cannot be transcoded for the parser.
            return "Metadata is not valid JSON: it contains an invalid character.";
        }
    }

    /// <summary>Re-serialises compactly so stored metadata has one canonical form.</summary>
    public static string? Normalize(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
        using var document = JsonDocument.Parse(text);
        return JsonSerializer.Serialize(document.RootElement);
    }

    /// <summary>Indented, for people to read and edit; non-ASCII text stays readable ("München", not "M\u00FCnchen").</summary>
    public static string Pretty(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return "";
        }
        using var document = JsonDocument.Parse(text);
        return JsonSerializer.Serialize(document.RootElement, PrettyOptions);
    }

    // Relaxed escaping is safe here: the result is shown as text (Blazor encodes it) or parsed again, never
    // embedded raw in HTML or script.
    private static readonly JsonSerializerOptions PrettyOptions = new()
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => kind.ToString(),
    };

    /// <summary>The stored text as a JSON value for API responses (null when there is none).</summary>
    public static JsonElement? ToElement(string? text) =>
        string.IsNullOrWhiteSpace(text) ? null : JsonSerializer.Deserialize<JsonElement>(text);

    /// <summary>An API request's JSON value as text to validate and store (JSON null clears it).</summary>
    public static string? FromElement(JsonElement? value) =>
        value is { ValueKind: not JsonValueKind.Null and not JsonValueKind.Undefined } element ? element.GetRawText() : null;
}
