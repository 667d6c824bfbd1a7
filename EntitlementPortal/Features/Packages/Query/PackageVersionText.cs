
namespace EntitlementPortal.Features.Packages.Query;

/// <summary>Reading version text: release segments, pre-release identifiers, build metadata dropped.</summary>
internal static class PackageVersionText
{
    internal static bool TryParseParts(string text, out string[] release, out string[] preRelease)
    {
        release = [];
        preRelease = [];
        var rest = text.AsSpan();
        if (rest.Length > 0 && rest[0] is 'v' or 'V')
        {
            rest = rest[1..];
        }

        var plus = rest.IndexOf('+');
        if (plus >= 0)
        {
            if (!TrySplitIdentifiers(rest[(plus + 1)..], out _))
            {
                return false;
            }
            rest = rest[..plus];
        }

        var dash = rest.IndexOf('-');
        if (dash >= 0)
        {
            if (!TrySplitIdentifiers(rest[(dash + 1)..], out preRelease))
            {
                return false;
            }
            rest = rest[..dash];
        }

        var segments = new List<string>();
        foreach (var range in rest.Split('.'))
        {
            var segment = rest[range];
            if (segment.IsEmpty || !IsDigits(segment))
            {
                preRelease = [];
                return false;
            }
            segments.Add(WithoutLeadingZeros(segment));
        }
        release = [.. segments];
        return true;
    }

    private static bool TrySplitIdentifiers(ReadOnlySpan<char> text, out string[] identifiers)
    {
        identifiers = [];
        var parts = new List<string>();
        foreach (var range in text.Split('.'))
        {
            var part = text[range];
            if (part.IsEmpty)
            {
                return false;
            }
            foreach (var c in part)
            {
                if (!char.IsAsciiLetterOrDigit(c) && c != '-')
                {
                    return false;
                }
            }
            parts.Add(IsDigits(part) ? WithoutLeadingZeros(part) : part.ToString());
        }
        identifiers = [.. parts];
        return true;
    }

    internal static bool IsDigits(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }
        return !text.IsEmpty;
    }

    private static string WithoutLeadingZeros(ReadOnlySpan<char> digits)
    {
        var trimmed = digits.TrimStart('0');
        return trimmed.IsEmpty ? "0" : trimmed.ToString();
    }

    internal static string Increment(string digits)
    {
        var chars = digits.ToCharArray();
        for (var i = chars.Length - 1; i >= 0; i--)
        {
            if (chars[i] != '9')
            {
                chars[i]++;
                return new string(chars);
            }
            chars[i] = '0';
        }
        return "1" + new string(chars);
    }
}
