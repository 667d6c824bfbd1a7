namespace EntitlementPortal.Features.Packages.Query;

/// <summary>
/// A case-insensitive pattern where <c>*</c> matches any run of characters (including none) and every other
/// character, <c>?</c> included, matches itself.
/// </summary>
/// <remarks>
/// Patterns come from users, so matching must stay linear however hostile the pattern: no Regex, and no
/// star-backtracking (which is quadratic on <c>*a*a*a…</c>). The pattern is split at each <c>*</c> into
/// literal pieces: the first must be a prefix, the last a suffix, and each piece between is found left to
/// right with Knuth–Morris–Pratt. Taking the leftmost occurrence of each piece is always safe when the only
/// wildcard is <c>*</c>, so the text is scanned once: O(text + pattern).
/// </remarks>
internal sealed class WildcardPattern
{
    private readonly bool _hasStar;
    private readonly string _prefix;
    private readonly string _suffix;
    private readonly string[] _middle;
    private readonly int[][] _middleFailures;

    public WildcardPattern(string pattern)
    {
        Pattern = pattern;
        var pieces = pattern.Split('*');
        for (var i = 0; i < pieces.Length; i++)
        {
            pieces[i] = Fold(pieces[i]);
        }
        _hasStar = pieces.Length > 1;
        _prefix = pieces[0];
        _suffix = _hasStar ? pieces[^1] : "";
        _middle = _hasStar ? Array.FindAll(pieces[1..^1], piece => piece.Length > 0) : [];
        _middleFailures = Array.ConvertAll(_middle, FailureTable);
    }

    public string Pattern { get; }

    public bool IsMatch(string text)
    {
        if (!_hasStar)
        {
            return text.Length == _prefix.Length && EqualsAt(text, 0, _prefix);
        }
        if (text.Length < _prefix.Length + _suffix.Length
            || !EqualsAt(text, 0, _prefix)
            || !EqualsAt(text, text.Length - _suffix.Length, _suffix))
        {
            return false;
        }
        var start = _prefix.Length;
        var end = text.Length - _suffix.Length;
        for (var i = 0; i < _middle.Length; i++)
        {
            var found = IndexOf(text, start, end, _middle[i], _middleFailures[i]);
            if (found < 0)
            {
                return false;
            }
            start = found + _middle[i].Length;
        }
        return true;
    }

    private static char Fold(char c) => char.ToUpperInvariant(c);

    private static string Fold(string text) => string.Create(text.Length, text, static (span, source) =>
    {
        for (var i = 0; i < source.Length; i++)
        {
            span[i] = Fold(source[i]);
        }
    });

    private static bool EqualsAt(string text, int offset, string folded)
    {
        for (var i = 0; i < folded.Length; i++)
        {
            if (Fold(text[offset + i]) != folded[i])
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>Leftmost start of <paramref name="piece"/> inside text[start..end), or -1.</summary>
    private static int IndexOf(string text, int start, int end, string piece, int[] failure)
    {
        var matched = 0;
        for (var i = start; i < end; i++)
        {
            var c = Fold(text[i]);
            while (matched > 0 && piece[matched] != c)
            {
                matched = failure[matched - 1];
            }
            if (piece[matched] == c)
            {
                matched++;
            }
            if (matched == piece.Length)
            {
                return i - piece.Length + 1;
            }
        }
        return -1;
    }

    /// <summary>For each prefix of the piece, the length of its longest proper prefix that is also its suffix.</summary>
    private static int[] FailureTable(string piece)
    {
        var failure = new int[piece.Length];
        var length = 0;
        for (var i = 1; i < piece.Length; i++)
        {
            while (length > 0 && piece[i] != piece[length])
            {
                length = failure[length - 1];
            }
            if (piece[i] == piece[length])
            {
                length++;
            }
            failure[i] = length;
        }
        return failure;
    }
}
