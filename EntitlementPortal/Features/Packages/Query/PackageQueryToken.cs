namespace EntitlementPortal.Features.Packages.Query;

internal enum PackageQueryTokenKind
{
    Term,
    And,
    Or,
    Not,
    LeftParenthesis,
    RightParenthesis,
    End,
}

/// <param name="Position">0-based index of the token's first character.</param>
/// <param name="Text">The token as written; for a term the field, colon and value with any quotes.</param>
/// <param name="Field">For a term: the field name as written, or null for a bare word (which means name).</param>
/// <param name="Value">For a term: the value with quotes removed and escapes applied.</param>
/// <param name="ValuePosition">For a term: where the value (or its opening quote) starts.</param>
internal sealed record PackageQueryToken(
    PackageQueryTokenKind Kind,
    int Position,
    string Text,
    string? Field = null,
    string Value = "",
    int ValuePosition = -1);
