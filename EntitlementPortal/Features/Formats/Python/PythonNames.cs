using System.Text.RegularExpressions;

namespace EntitlementPortal.Features.Formats.Python;

/// <summary>
/// Project names as Python packaging compares them: PEP 508 says what a valid name is, PEP 503 how names compare
/// (lowercase, every run of '-', '_' and '.' is one '-'). The portal stores the normalised form, so "My_Pkg" and
/// "my-pkg" are one project, as pip sees them.
/// </summary>
public static partial class PythonNames
{
    /// <summary>PEP 503 normalisation: "Foo.Bar__baz" → "foo-bar-baz".</summary>
    public static string Normalize(string name) => Separators().Replace(name, "-").ToLowerInvariant();

    /// <summary>True when <paramref name="name"/> is a valid distribution name (PEP 508, ASCII letters and digits only).</summary>
    public static bool IsValid(string name) => ValidName().IsMatch(name);

    [GeneratedRegex("[-_.]+")]
    private static partial Regex Separators();

    [GeneratedRegex("^([A-Za-z0-9]|[A-Za-z0-9][A-Za-z0-9._-]*[A-Za-z0-9])$")]
    private static partial Regex ValidName();
}
