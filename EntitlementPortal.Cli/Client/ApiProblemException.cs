using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace EntitlementPortal.Cli.Client;

/// <summary>The portal answered but refused: an RFC 9457 problem (or a non-problem error body).</summary>
public sealed class ApiProblemException(int status, string detail, IReadOnlyDictionary<string, string[]> errors)
    : Exception(detail)
{
    public int Status { get; } = status;
    public string Detail { get; } = detail;
    public IReadOnlyDictionary<string, string[]> Errors { get; } = errors;

    /// <summary>
    /// The refusal in a failed answer: a problem document's detail and field errors, npm's <c>{ "error" }</c>, the
    /// native clients' one line of text, or at least the status.
    /// </summary>
    public static async Task<ApiProblemException> ReadAsync(HttpResponseMessage response, CancellationToken ct)
    {
        var status = (int)response.StatusCode;
        var text = await response.Content.ReadAsStringAsync(ct);
        string? detail = null;
        var errors = new Dictionary<string, string[]>();
        try
        {
            if (JsonNode.Parse(text) is JsonObject problem)
            {
                detail = Text(problem["detail"]) ?? Text(problem["error"]) ?? Text(problem["title"]);
                if (problem["errors"] is JsonObject fields)
                {
                    foreach (var (field, messages) in fields)
                    {
                        errors[field] = messages is JsonArray list ? list.Select(m => Text(m) ?? "").ToArray() : [Text(messages) ?? ""];
                    }
                }
            }
        }
        catch (JsonException)
        {
            // Not JSON. The twine route answers in one line of text, which is the message; anything else (a proxy's
            // error page, another site) falls back to the status line below.
            if (response.Content.Headers.ContentType?.MediaType == "text/plain" && text.Trim() is { Length: > 0 and <= 500 } line)
            {
                detail = line.ReplaceLineEndings(" ");
            }
        }
        detail ??= response.StatusCode == HttpStatusCode.NotFound
            ? $"{response.RequestMessage?.RequestUri} was not found; check the portal URL."
            : $"The portal answered {status} {response.ReasonPhrase}.";
        return new ApiProblemException(status, detail, errors);
    }

    private static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    /// <summary>One line for stderr: the detail, then any field error the detail does not already say.</summary>
    public string ToOneLine()
    {
        var extra = Errors
            .SelectMany(e => e.Value.Select(message => (Field: e.Key, Message: message)))
            .Where(e => !Detail.Contains(e.Message, StringComparison.Ordinal))
            .Select(e => string.IsNullOrEmpty(e.Field) ? e.Message : $"{e.Field}: {e.Message}")
            .ToList();
        var fields = Errors.Keys.Where(k => !string.IsNullOrEmpty(k)).ToList();
        var line = $"{Detail.ReplaceLineEndings(" ")} (HTTP {Status})";
        if (extra.Count > 0)
        {
            line += " " + string.Join("; ", extra);
        }
        else if (fields.Count > 0)
        {
            line += " [" + string.Join(", ", fields) + "]";
        }
        return line;
    }
}

/// <summary>The portal could not be reached at all: refused connection, unknown host, time-out, TLS failure.</summary>
public sealed class PortalUnreachableException(string message, Exception? inner = null) : Exception(message, inner);
