using EntitlementPortal.Features.Packages.Query;
using static EntitlementPortal.Tests.Packages.Query.SamplePackages;

namespace EntitlementPortal.Tests.Packages.Query;

public sealed class PackageQueryParserTests
{
    public static TheoryData<string, QueryNode> Trees => new()
    {
        { "a", Name("a") },
        { "a OR b AND c", Or(Name("a"), And(Name("b"), Name("c"))) },
        { "a AND b OR c", Or(And(Name("a"), Name("b")), Name("c")) },
        { "a b OR c d", Or(And(Name("a"), Name("b")), And(Name("c"), Name("d"))) },
        { "a b c", And(Name("a"), Name("b"), Name("c")) },
        { "a AND b c", And(Name("a"), Name("b"), Name("c")) },
        { "NOT a AND b", And(Not(Name("a")), Name("b")) },
        { "NOT a OR b", Or(Not(Name("a")), Name("b")) },
        { "a NOT b", And(Name("a"), Not(Name("b"))) },
        { "NOT (a OR b)", Not(Or(Name("a"), Name("b"))) },
        { "NOT NOT a", Not(Not(Name("a"))) },
        { "(a OR b) c", And(Or(Name("a"), Name("b")), Name("c")) },
        { "(a OR b) AND (c OR d)", And(Or(Name("a"), Name("b")), Or(Name("c"), Name("d"))) },
        { "a OR (b OR c)", Or(Name("a"), Name("b"), Name("c")) },
        { "(a b) c", And(Name("a"), Name("b"), Name("c")) },
        { "((a))", Name("a") },
        { "a and b Or not c", Or(And(Name("a"), Name("b")), Not(Name("c"))) },
        { "NOT(a)OR(b)", Or(Not(Name("a")), Name("b")) },
    };

    [Theory]
    [MemberData(nameof(Trees))]
    public void Not_binds_tighter_than_and_which_binds_tighter_than_or(string text, QueryNode expected) =>
        Assert.Equal(expected, PackageQuery.Parse(text).Root);

    [Theory]
    [InlineData("Name:acme", PackageQueryField.Name)]
    [InlineData("VERSION:1.0", PackageQueryField.Version)]
    [InlineData("FileName:x.zip", PackageQueryField.Filename)]
    [InlineData("Tag:stable", PackageQueryField.Tag)]
    [InlineData("fOrMaT:raw", PackageQueryField.Format)]
    [InlineData("acme", PackageQueryField.Name)]
    [InlineData("\"acme agent\"", PackageQueryField.Name)]
    public void Field_names_are_case_insensitive_and_a_bare_word_is_a_name(string text, PackageQueryField field) =>
        Assert.Equal(field, Assert.IsType<TermNode>(PackageQuery.Parse(text).Root).Field);

    [Theory]
    [InlineData("acme", "name:acme")]
    [InlineData("name:acme-agent version:>=2.0", "name:acme-agent AND version:>=2.0")]
    [InlineData("  Name:acme-agent   and   VERSION:>=2.0  ", "name:acme-agent AND version:>=2.0")]
    [InlineData("a OR b AND c", "name:a OR (name:b AND name:c)")]
    [InlineData("(a OR b) AND c", "(name:a OR name:b) AND name:c")]
    [InlineData("((a OR b)) OR ((c))", "name:a OR name:b OR name:c")]
    [InlineData("NOT (a b)", "NOT (name:a AND name:b)")]
    [InlineData("not not a", "NOT NOT name:a")]
    [InlineData("NOT (NOT a)", "NOT NOT name:a")]
    [InlineData("name:\"plain\"", "name:plain")]
    [InlineData("name:\"a b\"", "name:\"a b\"")]
    [InlineData("name:\"a(b)\"", "name:\"a(b)\"")]
    [InlineData("\"and\"", "name:and")]
    [InlineData("\"x:y\"", "name:x:y")]
    [InlineData("name:\"say \\\"hi\\\" \\\\o/\"", "name:\"say \\\"hi\\\" \\\\o/\"")]
    [InlineData("name:a\\b", "name:a\\b")]
    [InlineData("format:RAW", "format:RAW")]
    [InlineData("tag:*", "tag:*")]
    [InlineData("filename:*.tar.gz", "filename:*.tar.gz")]
    [InlineData("version:=1.2", "version:1.2")]
    [InlineData("version:1.2", "version:1.2")]
    [InlineData("version:=2.*", "version:2.*")]
    [InlineData("VERSION:~=2.1", "version:~=2.1")]
    [InlineData("version:\"<3\"", "version:<3")]
    [InlineData("version:<=3 version:>1 version:<2", "version:<=3 AND version:>1 AND version:<2")]
    [InlineData("version:nightly", "version:nightly")]
    [InlineData("version:\"1.0+a b\"", "version:\"1.0+a b\"")]
    public void Normalized_is_canonical_text(string text, string normalized)
    {
        var query = PackageQuery.Parse(text);

        Assert.Equal(normalized, query.Normalized);
        Assert.Equal(normalized, query.ToString());
        Assert.Equal(normalized, query.Root!.ToString());
    }

    [Theory]
    [InlineData("name:acme-agent AND version:>=2.0")]
    [InlineData("a OR b AND c OR NOT (d OR e) f")]
    [InlineData("(tag:stable OR tag:lts) AND NOT filename:*.exe AND format:raw")]
    [InlineData("name:\"with \\\"quotes\\\" and \\\\ slashes\" OR \"OR\" OR \"NOT\"")]
    [InlineData("version:~=2.1.3 OR version:2.* OR version:<1.0.0-rc.1 OR version:*-beta*")]
    [InlineData("NOT NOT NOT (a b (c OR (d e)))")]
    [InlineData("name:\"a b\u00A0c\" tag:日本 name:🚀*")]
    public void Normalized_text_parses_to_the_same_tree_and_text(string text)
    {
        var query = PackageQuery.Parse(text);
        var again = PackageQuery.Parse(query.Normalized);

        Assert.Equal(query.Normalized, again.Normalized);
        Assert.Equal(query.Root, again.Root);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("\t\r\n")]
    public void Empty_query_matches_everything(string? text)
    {
        var query = PackageQuery.Parse(text);

        Assert.True(query.MatchesEverything);
        Assert.Null(query.Root);
        Assert.Equal("", query.Normalized);
        Assert.True(query.Matches(Package(name: "anything", version: "garbage")));
        Assert.True(PackageQuery.TryParse(text).IsValid);
    }

    [Fact]
    public void TryParse_gives_the_query_when_valid()
    {
        var result = PackageQuery.TryParse("name:acme*");

        Assert.True(result.IsValid);
        Assert.Null(result.Error);
        Assert.Equal("name:acme*", result.Query.Normalized);
    }

    [Fact]
    public void Equal_trees_have_equal_hash_codes()
    {
        var first = PackageQuery.Parse("a OR (b AND NOT c)").Root!;
        var second = PackageQuery.Parse("a or b not c").Root!;

        Assert.Equal(first, second);
        Assert.Equal(first.GetHashCode(), second.GetHashCode());
        Assert.NotEqual(first, PackageQuery.Parse("a OR (b AND NOT d)").Root);
    }
}
