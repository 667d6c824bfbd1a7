namespace EntitlementPortal.Features.Packages.Query;

/// <summary>
/// Which packages (or package files) a query lets through — used by an entitlement token's
/// <c>limitPackageQuery</c>.
/// </summary>
/// <remarks>
/// <para>Language: terms <c>field:value</c> combined with <c>AND</c> (also implied by a space), <c>OR</c>,
/// <c>NOT</c> and parentheses; NOT binds tighter than AND, AND tighter than OR. Keywords and field names are
/// case-insensitive. Fields: <c>name</c>, <c>version</c>, <c>filename</c>, <c>tag</c>, <c>format</c>; a bare
/// word means <c>name:word</c>. Values may be double-quoted (<c>\"</c> and <c>\\</c> escape inside quotes);
/// quoting only groups characters, so <c>"AND"</c> is a name and <c>version:"&gt;=2"</c> is still a comparison.
/// In values <c>*</c> matches any run of characters (there is no literal <c>*</c>); <c>?</c> is an ordinary
/// character. Text matching is case-insensitive and always whole-value (<c>name:acme</c> does not match
/// acme-agent; <c>name:acme*</c> does).</para>
/// <para>Versions: see <see cref="PackageVersion"/> for ordering. <c>version:</c> takes <c>&gt;=</c>, <c>&gt;</c>,
/// <c>&lt;=</c>, <c>&lt;</c>, <c>=</c> (or a plain version: 1.2 matches 1.2.0), <c>~=</c> (compatible release,
/// at least two segments) and <c>2.*</c> (segment prefix). <c>&lt;X</c> and the top of <c>~=</c> exclude
/// pre-releases of X itself (PEP 440). Numeric terms never match a package version that does not parse; any
/// other plain value (<c>version:nightly</c>, <c>version:*-rc*</c>) is a text pattern on the version as written.</para>
/// <para>Fields: <c>tag:x</c> is true when any tag matches (false with no tags). A <c>filename:</c> term is
/// false when the facts have no filename (the package as a whole), even <c>filename:*</c>.</para>
/// <para>Limits against hostile input, reported as errors and never as crashes: at most
/// <see cref="MaxLength"/> characters, <see cref="MaxDepth"/> nested levels ("(" or NOT), <see cref="MaxTerms"/>
/// terms. Parsing and matching are linear; no regular expressions run on user text.</para>
/// <para>An empty or whitespace query (within the length limit) matches everything and normalizes to "".</para>
/// </remarks>
public sealed class PackageQuery
{
    public const int MaxLength = 2000;
    public const int MaxDepth = PackageQueryParser.MaxDepth;
    public const int MaxTerms = PackageQueryParser.MaxTerms;

    private readonly bool matchesNothing;

    private PackageQuery(QueryNode? root, bool matchesNothing = false)
    {
        Root = root;
        this.matchesNothing = matchesNothing;
        Normalized = root?.ToString() ?? "";
    }

    /// <summary>The query that matches everything (empty text).</summary>
    public static PackageQuery All { get; } = new(null);

    /// <summary>The query that matches nothing: what a stored restriction that no longer parses means.</summary>
    public static PackageQuery Nothing { get; } = new(null, matchesNothing: true);

    /// <summary>
    /// A token's stored restriction: null when there is none; <see cref="Nothing"/> when the text no longer parses
    /// (edited in the database, or written by a version with a different grammar). A restriction that cannot be
    /// read must fail closed, never open up every package.
    /// </summary>
    public static PackageQuery? FromStored(string? text) =>
        text is null ? null : TryParse(text) is { IsValid: true } parsed ? parsed.Query : Nothing;

    /// <summary>The parsed tree; null for the empty query.</summary>
    public QueryNode? Root { get; }

    public bool MatchesEverything => Root is null && !matchesNothing;

    /// <summary>
    /// Canonical text: lower-case field names, upper-case keywords, explicit AND, single spaces, quotes only
    /// where needed, parentheses only where needed or around an AND inside an OR. Parsing it gives the same
    /// text back.
    /// </summary>
    public string Normalized { get; }

    public static PackageQueryParseResult TryParse(string? text)
    {
        if (text is { Length: > MaxLength })
        {
            return PackageQueryParseResult.Failure(
                new PackageQueryError($"Query longer than {MaxLength} characters at position {MaxLength}.", MaxLength));
        }
        if (string.IsNullOrWhiteSpace(text))
        {
            return PackageQueryParseResult.Success(All);
        }
        try
        {
            return PackageQueryParseResult.Success(new PackageQuery(PackageQueryParser.Parse(text)));
        }
        catch (PackageQueryException error)
        {
            return PackageQueryParseResult.Failure(error.Error);
        }
    }

    /// <exception cref="PackageQueryException">The query is invalid; its message says where.</exception>
    public static PackageQuery Parse(string? text)
    {
        var result = TryParse(text);
        return result.IsValid ? result.Query : throw new PackageQueryException(result.Error);
    }

    public bool Matches(PackageFacts package)
    {
        ArgumentNullException.ThrowIfNull(package);
        return !matchesNothing && (Root?.Matches(package) ?? true);
    }

    /// <summary>The items whose facts match, in order, evaluated lazily.</summary>
    public IEnumerable<T> Filter<T>(IEnumerable<T> items, Func<T, PackageFacts> facts)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(facts);
        return FilterLazily(items, facts);
    }

    public override string ToString() => Normalized;

    private IEnumerable<T> FilterLazily<T>(IEnumerable<T> items, Func<T, PackageFacts> facts)
    {
        foreach (var item in items)
        {
            if (!matchesNothing && (Root is null || Root.Matches(facts(item))))
            {
                yield return item;
            }
        }
    }
}
