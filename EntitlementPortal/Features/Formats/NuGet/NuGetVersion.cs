using System.Globalization;

namespace EntitlementPortal.Features.Formats.NuGet;

/// <summary>
/// NuGet's version rules (NuGet.Versioning's lenient parse and normalised form), so the portal stores and compares
/// versions as the client does: "1.0" and "1.0.0.0" are 1.0.0, "01.2.3" is 1.2.3, a zero fourth part is dropped,
/// build metadata ("+sha.abc") is not part of the identity, and labels compare case-insensitively.
/// </summary>
public static class NuGetVersion
{
    /// <summary>
    /// NuGet's normalised form, keeping the label's case ("1.0.0-Beta"), or null when <paramref name="text"/> is not
    /// a NuGet version. The stored (canonical) form is this in lower case.
    /// </summary>
    public static string? Normalize(string? text)
    {
        if (string.IsNullOrEmpty(text) || text.Length > 256 || text.Trim().Length != text.Length)
        {
            return null;
        }
        var rest = text;
        var plus = rest.IndexOf('+', StringComparison.Ordinal);
        if (plus >= 0)
        {
            if (!AreIdentifiers(rest[(plus + 1)..]))
            {
                return null;
            }
            rest = rest[..plus];
        }
        var label = "";
        var dash = rest.IndexOf('-', StringComparison.Ordinal);
        if (dash >= 0)
        {
            label = rest[(dash + 1)..];
            if (!AreIdentifiers(label))
            {
                return null;
            }
            rest = rest[..dash];
        }
        var parts = rest.Split('.');
        if (parts.Length is < 1 or > 4)
        {
            return null;
        }
        var numbers = new int[4];
        for (var i = 0; i < parts.Length; i++)
        {
            // NuGet reads each part as a non-negative int; leading zeros are allowed and dropped.
            if (parts[i].Length == 0 || !parts[i].All(char.IsAsciiDigit)
                || !int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out numbers[i]))
            {
                return null;
            }
        }
        var core = numbers[3] > 0
            ? string.Create(CultureInfo.InvariantCulture, $"{numbers[0]}.{numbers[1]}.{numbers[2]}.{numbers[3]}")
            : string.Create(CultureInfo.InvariantCulture, $"{numbers[0]}.{numbers[1]}.{numbers[2]}");
        return label.Length == 0 ? core : $"{core}-{label}";
    }

    /// <summary>The stored form: normalised and lower case (as the flat container's URLs spell it); null if invalid.</summary>
    public static string? Canonical(string? text) => Normalize(text)?.ToLowerInvariant();

    public static bool IsPrerelease(string normalized) => normalized.Contains('-', StringComparison.Ordinal);

    /// <summary>SemVer 2.0.0 identifiers: dot-separated, non-empty, ASCII letters, digits and '-'.</summary>
    private static bool AreIdentifiers(string text) =>
        text.Length > 0 && text.Split('.').All(part => part.Length > 0 && part.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'));
}
