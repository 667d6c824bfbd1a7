namespace EntitlementPortal.Features.Packages.Query;

/// <summary>
/// The value side of a term: decides whether one field value matches. Two matchers are equal when they are
/// of the same kind and have the same canonical <see cref="Text"/>.
/// </summary>
public abstract class ValueMatcher : IEquatable<ValueMatcher>
{
    private protected ValueMatcher()
    {
    }

    /// <summary>The value as it appears in the normalized query (before any quoting).</summary>
    public abstract string Text { get; }

    /// <summary>Never throws, whatever the value.</summary>
    public abstract bool Matches(string value);

    public bool Equals(ValueMatcher? other) =>
        other is not null && other.GetType() == GetType() && string.Equals(other.Text, Text, StringComparison.Ordinal);

    public override bool Equals(object? obj) => Equals(obj as ValueMatcher);

    public override int GetHashCode() => HashCode.Combine(GetType(), StringComparer.Ordinal.GetHashCode(Text));

    public override string ToString() => Text;
}

/// <summary>Text with <c>*</c> wildcards, compared case-insensitively.</summary>
internal sealed class TextPattern(string pattern) : ValueMatcher
{
    private readonly WildcardPattern _pattern = new(pattern);

    public override string Text => pattern;

    public override bool Matches(string value) => _pattern.IsMatch(value);
}
