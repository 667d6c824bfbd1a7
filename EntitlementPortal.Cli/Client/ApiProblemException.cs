namespace EntitlementPortal.Cli.Client;

/// <summary>The portal answered but refused: an RFC 9457 problem (or a non-problem error body).</summary>
public sealed class ApiProblemException(int status, string detail, IReadOnlyDictionary<string, string[]> errors)
    : Exception(detail)
{
    public int Status { get; } = status;
    public string Detail { get; } = detail;
    public IReadOnlyDictionary<string, string[]> Errors { get; } = errors;

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
