namespace EntitlementPortal.Features.Packages.Query;

/// <summary>
/// Recursive descent over the lexer's tokens, NOT binding tighter than AND, AND tighter than OR:
/// <code>
/// query   = or-expr END
/// or-expr = and-expr { OR and-expr }
/// and-expr = not-expr { [AND] not-expr }     juxtaposition is AND
/// not-expr = NOT not-expr | primary
/// primary = term | "(" or-expr ")"
/// </code>
/// Each "(" and each NOT opens a nesting level; capping those at <see cref="MaxDepth"/> bounds the recursion,
/// so hostile input cannot overflow the stack. Every token is read once: time is linear in the text.
/// </summary>
internal sealed class PackageQueryParser
{
    public const int MaxDepth = 32;
    public const int MaxTerms = 200;

    private readonly PackageQueryLexer _lexer;
    private PackageQueryToken _current;
    private PackageQueryToken? _previous;
    private int _depth;
    private int _terms;

    private PackageQueryParser(string text)
    {
        _lexer = new PackageQueryLexer(text);
        _current = _lexer.Next();
    }

    /// <summary>The tree, or null when the text has no terms at all (matches everything).</summary>
    /// <exception cref="PackageQueryException">The first error in reading order.</exception>
    public static QueryNode? Parse(string text)
    {
        var parser = new PackageQueryParser(text);
        if (parser._current.Kind == PackageQueryTokenKind.End)
        {
            return null;
        }
        var root = parser.ParseOr();
        if (parser._current.Kind != PackageQueryTokenKind.End)
        {
            // ParseOr stops only at the end or at a ')' that no '(' opened.
            throw new PackageQueryException($"Unexpected ')' at position {parser._current.Position}.", parser._current.Position);
        }
        return root;
    }

    private void Advance()
    {
        _previous = _current;
        _current = _lexer.Next();
    }

    private QueryNode ParseOr()
    {
        var operands = new List<QueryNode>();
        AddFlattened<OrNode>(operands, ParseAnd(), or => or.Operands);
        while (_current.Kind == PackageQueryTokenKind.Or)
        {
            Advance();
            AddFlattened<OrNode>(operands, ParseAnd(), or => or.Operands);
        }
        return operands.Count == 1 ? operands[0] : new OrNode(operands.AsReadOnly());
    }

    private QueryNode ParseAnd()
    {
        var operands = new List<QueryNode>();
        AddFlattened<AndNode>(operands, ParseNot(), and => and.Operands);
        while (true)
        {
            if (_current.Kind == PackageQueryTokenKind.And)
            {
                Advance();
            }
            else if (_current.Kind is not (PackageQueryTokenKind.Term or PackageQueryTokenKind.LeftParenthesis
                     or PackageQueryTokenKind.Not))
            {
                break;
            }
            AddFlattened<AndNode>(operands, ParseNot(), and => and.Operands);
        }
        return operands.Count == 1 ? operands[0] : new AndNode(operands.AsReadOnly());
    }

    private QueryNode ParseNot()
    {
        if (_current.Kind != PackageQueryTokenKind.Not)
        {
            return ParsePrimary();
        }
        Enter(_current);
        Advance();
        var operand = ParseNot();
        _depth--;
        return new NotNode(operand);
    }

    private QueryNode ParsePrimary()
    {
        switch (_current.Kind)
        {
            case PackageQueryTokenKind.Term:
                var term = BuildTerm(_current);
                Advance();
                return term;
            case PackageQueryTokenKind.LeftParenthesis:
                var open = _current;
                Enter(open);
                Advance();
                var inner = ParseOr();
                if (_current.Kind != PackageQueryTokenKind.RightParenthesis)
                {
                    throw new PackageQueryException($"Missing ')' for '(' at position {open.Position}.", open.Position);
                }
                Advance();
                _depth--;
                return inner;
            default:
                throw ExpectedTerm();
        }
    }

    private PackageQueryException ExpectedTerm()
    {
        var position = _current.Position;
        if (_previous is null)
        {
            return _current.Kind == PackageQueryTokenKind.RightParenthesis
                ? new PackageQueryException($"Unexpected ')' at position {position}.", position)
                : new PackageQueryException($"Expected a term before '{_current.Text}' at position {position}.", position);
        }
        return new PackageQueryException($"Expected a term after '{_previous.Text}' at position {position}.", position);
    }

    private void Enter(PackageQueryToken token)
    {
        if (++_depth > MaxDepth)
        {
            throw new PackageQueryException($"Nesting deeper than {MaxDepth} at position {token.Position}.", token.Position);
        }
    }

    private static void AddFlattened<TNode>(List<QueryNode> operands, QueryNode node, Func<TNode, IReadOnlyList<QueryNode>> children)
        where TNode : QueryNode
    {
        if (node is TNode same)
        {
            operands.AddRange(children(same));
        }
        else
        {
            operands.Add(node);
        }
    }

    private TermNode BuildTerm(PackageQueryToken token)
    {
        if (++_terms > MaxTerms)
        {
            throw new PackageQueryException($"More than {MaxTerms} terms at position {token.Position}.", token.Position);
        }
        if (token.Field is null)
        {
            return token.Value.Length == 0
                ? throw new PackageQueryException($"Empty quoted value at position {token.Position}.", token.Position)
                : new TermNode(PackageQueryField.Name, new TextPattern(token.Value));
        }
        if (!PackageQueryFields.TryParse(token.Field, out var field))
        {
            throw new PackageQueryException(
                $"Unknown field '{Shorten(token.Field)}' at position {token.Position}. Fields: {PackageQueryFields.List}.",
                token.Position);
        }
        if (token.Value.Length == 0)
        {
            throw new PackageQueryException(
                $"Expected a value after '{token.Field}:' at position {token.ValuePosition}.", token.ValuePosition);
        }
        return new TermNode(
            field,
            field == PackageQueryField.Version
                ? VersionMatcher(token.Value, token.ValuePosition)
                : new TextPattern(token.Value));
    }

    /// <summary>
    /// <c>&gt;=</c> <c>&gt;</c> <c>&lt;=</c> <c>&lt;</c> <c>=</c> <c>~=</c> need a version; <c>2.*</c> is a segment
    /// prefix; a plain version is numeric equality; any other plain text (<c>nightly</c>, <c>*-rc*</c>) is a
    /// case-insensitive text pattern on the version as written.
    /// </summary>
    private static ValueMatcher VersionMatcher(string value, int position)
    {
        if (value.StartsWith("~=", StringComparison.Ordinal))
        {
            var lowest = Operand(value, 2, position);
            if (lowest.ReleaseSegmentCount < 2)
            {
                throw new PackageQueryException(
                    $"Compatible release '{Shorten(value)}' at position {position} needs at least two version segments, e.g. '~=2.0'.",
                    position);
            }
            return new CompatibleRelease(lowest);
        }
        (string Symbol, VersionOperator Operator)[] comparisons =
        [
            (">=", VersionOperator.GreaterOrEqual), ("<=", VersionOperator.LessOrEqual),
            (">", VersionOperator.Greater), ("<", VersionOperator.Less),
        ];
        foreach (var (symbol, @operator) in comparisons)
        {
            if (value.StartsWith(symbol, StringComparison.Ordinal))
            {
                return new VersionComparison(@operator, Operand(value, symbol.Length, position));
            }
        }
        if (value[0] == '=')
        {
            return VersionPrefix.TryCreate(value[1..], out var explicitPrefix)
                ? explicitPrefix
                : new VersionComparison(VersionOperator.Equal, Operand(value, 1, position));
        }
        if (value[0] is '~' or '!' or '^')
        {
            throw InvalidComparison(value, position);
        }
        if (VersionPrefix.TryCreate(value, out var prefix))
        {
            return prefix;
        }
        return PackageVersion.TryParse(value, out var version)
            ? new VersionComparison(VersionOperator.Equal, version)
            : new TextPattern(value);
    }

    private static PackageVersion Operand(string value, int operatorLength, int position) =>
        PackageVersion.TryParse(value[operatorLength..], out var version)
            ? version
            : throw InvalidComparison(value, position);

    private static PackageQueryException InvalidComparison(string value, int position) =>
        new($"Invalid version comparison '{Shorten(value)}' at position {position}.", position);

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
