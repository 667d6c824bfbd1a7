using System.Text;
using System.Text.RegularExpressions;

namespace EntitlementPortal.Features.Formats.Python;

/// <summary>
/// PEP 440 versions in their normalised form, the way pip compares them: "V1.0-RC.1" is "1.0rc1", "1.0-1" is
/// "1.0.post1", "1.0.DEV" is "1.0.dev0", local labels lowercase with '.' separators. Text PEP 440 rejects is
/// not a Python version. Release numbers keep their length ("1.0" stays "1.0"): only leading zeros go.
/// </summary>
public static partial class PythonVersion
{
    /// <summary>The normalised version, or null when <paramref name="text"/> is not a PEP 440 version.</summary>
    public static string? Normalize(string text)
    {
        var match = Pep440().Match(text.Trim());
        if (!match.Success)
        {
            return null;
        }
        var normalized = new StringBuilder();
        if (match.Groups["epoch"].Success && Number(match.Groups["epoch"].Value) != "0")
        {
            normalized.Append(Number(match.Groups["epoch"].Value)).Append('!');
        }
        normalized.AppendJoin('.', match.Groups["release"].Value.Split('.').Select(Number));
        if (match.Groups["pre_l"].Success)
        {
            var label = match.Groups["pre_l"].Value.ToLowerInvariant() switch
            {
                "alpha" or "a" => "a",
                "beta" or "b" => "b",
                _ => "rc",
            };
            normalized.Append(label).Append(NumberOrZero(match.Groups["pre_n"]));
        }
        if (match.Groups["post_n1"].Success)
        {
            normalized.Append(".post").Append(Number(match.Groups["post_n1"].Value));
        }
        else if (match.Groups["post_l"].Success)
        {
            normalized.Append(".post").Append(NumberOrZero(match.Groups["post_n2"]));
        }
        if (match.Groups["dev_l"].Success)
        {
            normalized.Append(".dev").Append(NumberOrZero(match.Groups["dev_n"]));
        }
        if (match.Groups["local"].Success)
        {
            var parts = LocalSeparators().Split(match.Groups["local"].Value.ToLowerInvariant())
                .Select(p => p.All(char.IsAsciiDigit) ? Number(p) : p);
            normalized.Append('+').AppendJoin('.', parts);
        }
        return normalized.ToString();
    }

    private static string NumberOrZero(Group group) => group.Success ? Number(group.Value) : "0";

    // Digits without leading zeros; any length (PEP 440 puts no bound on them).
    private static string Number(string digits)
    {
        var trimmed = digits.TrimStart('0');
        return trimmed.Length == 0 ? "0" : trimmed;
    }

    // PEP 440's own regular expression (Appendix B), as the packaging library applies it.
    [GeneratedRegex(
        """
        ^v?
        (?:(?<epoch>[0-9]+)!)?
        (?<release>[0-9]+(?:\.[0-9]+)*)
        (?<pre>[-_.]?(?<pre_l>alpha|beta|preview|pre|rc|a|b|c)[-_.]?(?<pre_n>[0-9]+)?)?
        (?<post>(?:-(?<post_n1>[0-9]+))|(?:[-_.]?(?<post_l>post|rev|r)[-_.]?(?<post_n2>[0-9]+)?))?
        (?<dev>[-_.]?(?<dev_l>dev)[-_.]?(?<dev_n>[0-9]+)?)?
        (?:\+(?<local>[a-z0-9]+(?:[-_.][a-z0-9]+)*))?
        $
        """,
        RegexOptions.IgnoreCase | RegexOptions.IgnorePatternWhitespace | RegexOptions.ExplicitCapture | RegexOptions.CultureInvariant)]
    private static partial Regex Pep440();

    [GeneratedRegex("[-_.]")]
    private static partial Regex LocalSeparators();
}
