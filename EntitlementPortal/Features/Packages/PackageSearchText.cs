namespace EntitlementPortal.Features.Packages;

/// <summary>
/// What the package search box means: the package query language, except that one plain word searches inside
/// names ("agent" finds "acme-agent"), as people expect of a search box. Token restrictions keep the language's
/// exact meaning; only the search box reads a plain word this way.
/// </summary>
public static class PackageSearchText
{
    public static string? ToQueryText(string? text)
    {
        // Names are lowercase, so a capitalised word still finds them.
        var word = text?.Trim().ToLowerInvariant();
        if (string.IsNullOrEmpty(word) || !word.All(PackageRules.IsNameChar) || IsOperator(word))
        {
            return text;
        }
        return $"name:*{word}*";
    }

    private static bool IsOperator(string word) =>
        word.Equals("and", StringComparison.OrdinalIgnoreCase) || word.Equals("or", StringComparison.OrdinalIgnoreCase)
        || word.Equals("not", StringComparison.OrdinalIgnoreCase);
}
