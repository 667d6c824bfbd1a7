using EntitlementPortal.Features.Packages.Query;
using Kind = EntitlementPortal.Features.Packages.Query.PackageQueryTokenKind;

namespace EntitlementPortal.Tests.Packages.Query;

public sealed class PackageQueryLexerTests
{
    [Fact]
    public void Tokens_carry_their_start_positions()
    {
        var tokens = PackageQueryLexer.Tokenize("name:acme AND (tag:\"x y\" OR NOT format:raw)");

        Assert.Equal(
            [
                (Kind.Term, 0), (Kind.And, 10), (Kind.LeftParenthesis, 14), (Kind.Term, 15), (Kind.Or, 25),
                (Kind.Not, 28), (Kind.Term, 32), (Kind.RightParenthesis, 42), (Kind.End, 43),
            ],
            tokens.Select(t => (t.Kind, t.Position)));
        Assert.Equal(("tag", "x y", 19, "tag:\"x y\""), (tokens[3].Field, tokens[3].Value, tokens[3].ValuePosition, tokens[3].Text));
        Assert.Equal(("format", "raw", 39), (tokens[6].Field, tokens[6].Value, tokens[6].ValuePosition));
    }

    [Fact]
    public void Parentheses_end_a_value_without_a_space()
    {
        var tokens = PackageQueryLexer.Tokenize("(name:a)(b)");

        Assert.Equal(
            [Kind.LeftParenthesis, Kind.Term, Kind.RightParenthesis, Kind.LeftParenthesis, Kind.Term, Kind.RightParenthesis, Kind.End],
            tokens.Select(t => t.Kind));
        Assert.Equal(["a", "b"], tokens.Where(t => t.Kind == Kind.Term).Select(t => t.Value));
        Assert.Equal(11, tokens[^1].Position);
    }

    [Theory]
    [InlineData("and", "And")]
    [InlineData("AND", "And")]
    [InlineData("And", "And")]
    [InlineData("or", "Or")]
    [InlineData("Or", "Or")]
    [InlineData("not", "Not")]
    [InlineData("nOt", "Not")]
    [InlineData("android", "Term")]
    [InlineData("\"and\"", "Term")]
    [InlineData("name:and", "Term")]
    public void Keywords_are_case_insensitive_and_only_when_unquoted(string text, string expected) =>
        Assert.Equal(expected, PackageQueryLexer.Tokenize(text)[0].Kind.ToString());

    [Theory]
    [InlineData("acme", null, "acme")]
    [InlineData("\"acme agent\"", null, "acme agent")]
    [InlineData("name:a:b", "name", "a:b")]
    [InlineData("Name:Acme", "Name", "Acme")]
    [InlineData("name:\"say \\\"hi\\\" \\\\o/\"", "name", "say \"hi\" \\o/")]
    [InlineData("name:a\\b", "name", "a\\b")]
    [InlineData("name:\"\"", "name", "")]
    [InlineData("name:", "name", "")]
    [InlineData("version:>=2.0", "version", ">=2.0")]
    [InlineData("name:café-日本-🚀", "name", "café-日本-🚀")]
    [InlineData("name:what?", "name", "what?")]
    public void Terms_split_into_field_and_unescaped_value(string text, string? field, string value)
    {
        var term = PackageQueryLexer.Tokenize(text)[0];

        Assert.Equal(Kind.Term, term.Kind);
        Assert.Equal(field, term.Field);
        Assert.Equal(value, term.Value);
    }

    [Fact]
    public void Any_whitespace_separates_tokens()
    {
        var tokens = PackageQueryLexer.Tokenize(" \tname:a\r\n\u00A0OR\u3000b ");

        Assert.Equal([(Kind.Term, 2), (Kind.Or, 11), (Kind.Term, 14), (Kind.End, 16)], tokens.Select(t => (t.Kind, t.Position)));
    }

    [Fact]
    public void A_value_position_points_after_the_colon_even_when_empty()
    {
        var tokens = PackageQueryLexer.Tokenize("tag:x version: a");

        Assert.Equal(("version", "", 14), (tokens[1].Field, tokens[1].Value, tokens[1].ValuePosition));
    }
}
