using System.Globalization;
using System.Text;

namespace EntitlementPortal.Features.Packages.Query;

/// <summary>
/// Splits query text into tokens, one at a time so the parser reports the first error in reading order.
/// A term is <c>field:value</c> or a bare word; a value is either quoted (<c>"a b"</c>, with <c>\"</c> and
/// <c>\\</c> as the only escapes) or runs to the next space or parenthesis. Unquoted AND, OR and NOT (any
/// case) are keywords; quote one to search for it as a name. Control and invisible (format) characters are
/// refused anywhere except as whitespace between tokens, so what an admin sees is what is matched.
/// </summary>
internal sealed class PackageQueryLexer(string text)
{
    private int _position;

    public static IReadOnlyList<PackageQueryToken> Tokenize(string text)
    {
        var lexer = new PackageQueryLexer(text);
        var tokens = new List<PackageQueryToken>();
        PackageQueryToken token;
        do
        {
            token = lexer.Next();
            tokens.Add(token);
        }
        while (token.Kind != PackageQueryTokenKind.End);
        return tokens;
    }

    public PackageQueryToken Next()
    {
        while (_position < text.Length && char.IsWhiteSpace(text[_position]))
        {
            _position++;
        }
        var start = _position;
        if (start == text.Length)
        {
            return new PackageQueryToken(PackageQueryTokenKind.End, start, "");
        }

        switch (text[start])
        {
            case '(':
                _position++;
                return new PackageQueryToken(PackageQueryTokenKind.LeftParenthesis, start, "(");
            case ')':
                _position++;
                return new PackageQueryToken(PackageQueryTokenKind.RightParenthesis, start, ")");
            case '"':
                var quoted = ReadQuoted(start);
                return new PackageQueryToken(PackageQueryTokenKind.Term, start, text[start.._position], null, quoted, start);
            case ':':
                throw new PackageQueryException($"Expected a field name before ':' at position {start}.", start);
        }

        var wordEnd = ScanUnquoted(start, stopAtColon: true);
        if (wordEnd < text.Length && text[wordEnd] == ':')
        {
            var valueStart = wordEnd + 1;
            string value;
            if (valueStart < text.Length && text[valueStart] == '"')
            {
                value = ReadQuoted(valueStart);
            }
            else
            {
                _position = ScanUnquoted(valueStart, stopAtColon: false);
                value = text[valueStart.._position];
                RejectQuoteAfterUnquoted();
            }
            return new PackageQueryToken(
                PackageQueryTokenKind.Term, start, text[start.._position], text[start..wordEnd], value, valueStart);
        }

        _position = wordEnd;
        RejectQuoteAfterUnquoted();
        var word = text[start..wordEnd];
        var keyword = KeywordKind(word);
        return keyword is { } kind
            ? new PackageQueryToken(kind, start, word)
            : new PackageQueryToken(PackageQueryTokenKind.Term, start, word, null, word, start);
    }

    private static PackageQueryTokenKind? KeywordKind(string word)
    {
        if (word.Equals("AND", StringComparison.OrdinalIgnoreCase))
        {
            return PackageQueryTokenKind.And;
        }
        if (word.Equals("OR", StringComparison.OrdinalIgnoreCase))
        {
            return PackageQueryTokenKind.Or;
        }
        if (word.Equals("NOT", StringComparison.OrdinalIgnoreCase))
        {
            return PackageQueryTokenKind.Not;
        }
        return null;
    }

    private int ScanUnquoted(int start, bool stopAtColon)
    {
        var i = start;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c) || c is '(' or ')' or '"' || (stopAtColon && c == ':'))
            {
                break;
            }
            RejectInvisible(c, i);
            i++;
        }
        return i;
    }

    /// <summary>Reads a quoted value starting at its opening quote and leaves the position after the closing one.</summary>
    private string ReadQuoted(int quote)
    {
        var value = new StringBuilder();
        var i = quote + 1;
        while (true)
        {
            if (i >= text.Length)
            {
                throw new PackageQueryException($"Missing closing '\"' for the quote at position {quote}.", quote);
            }
            var c = text[i];
            if (c == '"')
            {
                break;
            }
            if (c == '\\')
            {
                if (i + 1 >= text.Length)
                {
                    throw new PackageQueryException($"Missing closing '\"' for the quote at position {quote}.", quote);
                }
                var escaped = text[i + 1];
                RejectInvisible(escaped, i + 1);
                if (escaped is not ('"' or '\\'))
                {
                    throw new PackageQueryException(
                        $"Unsupported escape '\\{escaped}' at position {i}; inside quotes only \\\" and \\\\ are escapes.", i);
                }
                value.Append(escaped);
                i += 2;
                continue;
            }
            RejectInvisible(c, i);
            value.Append(c);
            i++;
        }
        _position = i + 1;
        if (_position < text.Length && !char.IsWhiteSpace(text[_position]) && text[_position] is not ('(' or ')'))
        {
            throw new PackageQueryException(
                $"Expected a space or ')' after the closing quote at position {_position}.", _position);
        }
        return value.ToString();
    }

    private void RejectQuoteAfterUnquoted()
    {
        if (_position < text.Length && text[_position] == '"')
        {
            throw new PackageQueryException(
                $"Unexpected '\"' at position {_position}; quote the whole value.", _position);
        }
    }

    private static void RejectInvisible(char c, int position)
    {
        var kind = char.GetUnicodeCategory(c) switch
        {
            UnicodeCategory.Control => "Control",
            UnicodeCategory.Format => "Invisible",
            _ => null,
        };
        if (kind is not null)
        {
            throw new PackageQueryException(
                $"{kind} character U+{(int)c:X4} not allowed at position {position}.", position);
        }
    }
}
