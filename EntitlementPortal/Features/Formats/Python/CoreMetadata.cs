using System.Text;
using FluentValidation;
using FluentValidation.Results;

namespace EntitlementPortal.Features.Formats.Python;

/// <summary>
/// The fields the portal needs from a distribution's core metadata (a wheel's METADATA, an sdist's PKG-INFO): an
/// RFC 822-style header block, one field per line, continuation lines indented, the description after a blank line.
/// </summary>
public sealed record CoreMetadata(string MetadataVersion, string Name, string Version, string? RequiresPython, string? Summary)
{
    /// <summary>Parses the header block; a missing Name or Version is a refusal the uploader sees.</summary>
    public static CoreMetadata Parse(byte[] content, string source)
    {
        string text;
        try
        {
            text = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(content);
        }
        catch (DecoderFallbackException)
        {
            throw Invalid($"{source} is not UTF-8 text.");
        }
        var fields = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        string? last = null;
        foreach (var line in text.TrimStart('\uFEFF').Split('\n').Select(l => l.TrimEnd('\r')))
        {
            if (line.Length == 0)
            {
                break;
            }
            if (line[0] is ' ' or '\t')
            {
                if (last is not null)
                {
                    fields[last] += "\n" + line.Trim();
                }
                continue;
            }
            var colon = line.IndexOf(':');
            if (colon <= 0)
            {
                throw Invalid($"{source} has a line that is not a 'Field: value' header: '{Shorten(line)}'.");
            }
            last = line[..colon].Trim();
            // Repeated fields (Classifier, Requires-Dist) are lists; the ones read here appear once, the first wins.
            fields.TryAdd(last, line[(colon + 1)..].Trim());
        }
        var name = fields.GetValueOrDefault("Name");
        var version = fields.GetValueOrDefault("Version");
        if (string.IsNullOrWhiteSpace(name) || string.IsNullOrWhiteSpace(version))
        {
            throw Invalid($"{source} must give the package's Name and Version.");
        }
        return new CoreMetadata(
            fields.GetValueOrDefault("Metadata-Version") ?? "", name, version,
            NullIfEmpty(fields.GetValueOrDefault("Requires-Python")), NullIfEmpty(fields.GetValueOrDefault("Summary")));
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    private static string Shorten(string text) => text.Length > 60 ? text[..60] + "…" : text;

    internal static ValidationException Invalid(string message) => new([new ValidationFailure("file", message)]);
}
