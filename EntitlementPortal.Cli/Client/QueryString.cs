using System.Globalization;
using System.Text;

namespace EntitlementPortal.Cli.Client;

/// <summary>Builds a query string from optional values; absent ones are left out, times go as ISO-8601 UTC.</summary>
public sealed class QueryString
{
    private readonly StringBuilder text = new();

    public QueryString Add(string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            text.Append(text.Length == 0 ? '?' : '&').Append(Uri.EscapeDataString(name)).Append('=').Append(Uri.EscapeDataString(value));
        }
        return this;
    }

    public QueryString Add(string name, long? value) => Add(name, value?.ToString(CultureInfo.InvariantCulture));

    public QueryString Add(string name, bool? value) => Add(name, value is { } v ? (v ? "true" : "false") : null);

    public QueryString Add(string name, DateTime? value) =>
        Add(name, value?.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));

    public override string ToString() => text.ToString();
}
