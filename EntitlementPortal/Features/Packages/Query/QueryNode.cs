using System.Text;

namespace EntitlementPortal.Features.Packages.Query;

/// <summary>
/// A parsed package query: an immutable tree. AND and OR are n-ary and flat (the parser merges
/// <c>(a AND b) AND c</c> into one node); equality is structural. <see cref="ToString"/> gives the
/// canonical text, the same as <see cref="PackageQuery.Normalized"/>.
/// </summary>
public abstract record QueryNode
{
    public abstract bool Matches(PackageFacts package);

    public sealed override string ToString()
    {
        var builder = new StringBuilder();
        WriteTo(builder);
        return builder.ToString();
    }

    internal abstract void WriteTo(StringBuilder builder);

    private protected static void WriteOperand(StringBuilder builder, QueryNode operand, bool parenthesize)
    {
        if (parenthesize)
        {
            builder.Append('(');
            operand.WriteTo(builder);
            builder.Append(')');
        }
        else
        {
            operand.WriteTo(builder);
        }
    }

    private protected static int HashOf(IReadOnlyList<QueryNode> operands)
    {
        var hash = new HashCode();
        foreach (var operand in operands)
        {
            hash.Add(operand);
        }
        return hash.ToHashCode();
    }
}

public sealed record AndNode(IReadOnlyList<QueryNode> Operands) : QueryNode
{
    public override bool Matches(PackageFacts package)
    {
        foreach (var operand in Operands)
        {
            if (!operand.Matches(package))
            {
                return false;
            }
        }
        return true;
    }

    public bool Equals(AndNode? other) => other is not null && Operands.SequenceEqual(other.Operands);

    public override int GetHashCode() => HashOf(Operands);

    internal override void WriteTo(StringBuilder builder)
    {
        for (var i = 0; i < Operands.Count; i++)
        {
            if (i > 0)
            {
                builder.Append(" AND ");
            }
            WriteOperand(builder, Operands[i], parenthesize: Operands[i] is OrNode);
        }
    }
}

public sealed record OrNode(IReadOnlyList<QueryNode> Operands) : QueryNode
{
    public override bool Matches(PackageFacts package)
    {
        foreach (var operand in Operands)
        {
            if (operand.Matches(package))
            {
                return true;
            }
        }
        return false;
    }

    public bool Equals(OrNode? other) => other is not null && Operands.SequenceEqual(other.Operands);

    public override int GetHashCode() => HashOf(Operands);

    // AND binds tighter, so the parentheses around an AND inside an OR are only for the reader.
    internal override void WriteTo(StringBuilder builder)
    {
        for (var i = 0; i < Operands.Count; i++)
        {
            if (i > 0)
            {
                builder.Append(" OR ");
            }
            WriteOperand(builder, Operands[i], parenthesize: Operands[i] is AndNode);
        }
    }
}

public sealed record NotNode(QueryNode Operand) : QueryNode
{
    public override bool Matches(PackageFacts package) => !Operand.Matches(package);

    internal override void WriteTo(StringBuilder builder)
    {
        builder.Append("NOT ");
        WriteOperand(builder, Operand, parenthesize: Operand is AndNode or OrNode);
    }
}

public sealed record TermNode(PackageQueryField Field, ValueMatcher Matcher) : QueryNode
{
    public override bool Matches(PackageFacts package) => Field switch
    {
        PackageQueryField.Name => Matcher.Matches(package.Name),
        PackageQueryField.Version => Matcher.Matches(package.Version),
        PackageQueryField.Filename => package.Filename is { } filename && Matcher.Matches(filename),
        PackageQueryField.Tag => AnyTagMatches(package.Tags),
        PackageQueryField.Format => Matcher.Matches(package.Format),
        _ => false,
    };

    internal override void WriteTo(StringBuilder builder)
    {
        builder.Append(PackageQueryFields.NameOf(Field)).Append(':');
        AppendValue(builder, Matcher.Text);
    }

    private bool AnyTagMatches(IReadOnlyCollection<string> tags)
    {
        foreach (var tag in tags)
        {
            if (Matcher.Matches(tag))
            {
                return true;
            }
        }
        return false;
    }

    // Quote only when the lexer would otherwise split or misread the value; inside quotes only \ and " need escaping.
    private static void AppendValue(StringBuilder builder, string value)
    {
        var needsQuotes = false;
        foreach (var c in value)
        {
            if (char.IsWhiteSpace(c) || c is '(' or ')' or '"')
            {
                needsQuotes = true;
                break;
            }
        }
        if (!needsQuotes)
        {
            builder.Append(value);
            return;
        }
        builder.Append('"');
        foreach (var c in value)
        {
            if (c is '"' or '\\')
            {
                builder.Append('\\');
            }
            builder.Append(c);
        }
        builder.Append('"');
    }
}
