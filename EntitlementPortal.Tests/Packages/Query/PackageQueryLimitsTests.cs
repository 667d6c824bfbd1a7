using System.Text;
using EntitlementPortal.Features.Packages.Query;
using static EntitlementPortal.Tests.Packages.Query.SamplePackages;

namespace EntitlementPortal.Tests.Packages.Query;

public sealed class PackageQueryLimitsTests
{
    private static string Repeat(string text, int count) => new StringBuilder().Insert(0, text, count).ToString();

    private static PackageQueryError ErrorOf(string query)
    {
        var result = PackageQuery.TryParse(query);
        Assert.False(result.IsValid);
        return result.Error;
    }

    [Fact]
    public void Ten_thousand_open_parentheses_are_an_error_not_a_crash()
    {
        var error = ErrorOf(new string('(', 10_000));

        Assert.Equal("Query longer than 2000 characters at position 2000.", error.Message);
        Assert.Equal(2000, error.Position);
    }

    [Fact]
    public void Nesting_is_capped_at_32_levels()
    {
        Assert.True(PackageQuery.TryParse(Repeat("(", 32) + "name:a" + Repeat(")", 32)).IsValid);

        var error = ErrorOf(Repeat("(", 33) + "name:a" + Repeat(")", 33));
        Assert.Equal("Nesting deeper than 32 at position 32.", error.Message);
        Assert.Equal(32, error.Position);

        Assert.Equal("Nesting deeper than 32 at position 32.", ErrorOf(Repeat("(", 1999) + "a").Message);
    }

    [Fact]
    public void Each_not_counts_as_a_nesting_level()
    {
        Assert.True(PackageQuery.TryParse(Repeat("NOT ", 32) + "a").IsValid);
        Assert.Equal("Nesting deeper than 32 at position 128.", ErrorOf(Repeat("NOT ", 33) + "a").Message);
        Assert.Equal("Nesting deeper than 32 at position 80.", ErrorOf(Repeat("NOT (", 17) + "a" + Repeat(")", 17)).Message);
        Assert.Equal(32, ErrorOf(Repeat("NOT ", 499) + "a").Position / 4);
    }

    [Fact]
    public void Exactly_2000_characters_is_allowed_and_2001_is_not()
    {
        var longest = "name:" + new string('a', 1995);
        Assert.True(PackageQuery.Parse(longest).Matches(Package(name: new string('A', 1995))));

        var error = ErrorOf(longest + "a");
        Assert.Equal("Query longer than 2000 characters at position 2000.", error.Message);
        Assert.Equal(2001, error.Column);
        Assert.Equal(2000, ErrorOf(new string(' ', 2001)).Position);
    }

    [Fact]
    public void At_most_200_terms()
    {
        Assert.True(PackageQuery.TryParse(Repeat("a ", 200)).IsValid);
        Assert.True(PackageQuery.TryParse(Repeat("NOT a OR ", 199) + "a").IsValid);

        var error = ErrorOf(Repeat("a ", 201));
        Assert.Equal("More than 200 terms at position 400.", error.Message);
        Assert.Equal(400, error.Position);
    }

    [Fact]
    public void A_2000_character_wildcard_pattern_against_a_long_name_returns()
    {
        var query = PackageQuery.Parse("name:" + Repeat("*a", 997) + "*");
        Assert.Equal(2000, query.Normalized.Length);

        Assert.True(query.Matches(Package(name: new string('a', 100_000))));
        Assert.True(query.Matches(Package(name: Repeat("ab", 50_000))));
        Assert.False(query.Matches(Package(name: new string('a', 996))));
        Assert.False(query.Matches(Package(name: new string('b', 100_000))));
    }

    [Fact]
    public void A_pattern_that_nearly_matches_everywhere_returns()
    {
        var query = PackageQuery.Parse("name:*" + new string('a', 1000) + "b*" + new string('a', 900) + "c");

        Assert.False(query.Matches(Package(name: new string('a', 200_000))));
        Assert.True(query.Matches(Package(name: new string('a', 5000) + "b" + new string('a', 5000) + "c")));
    }

    [Fact]
    public void Two_thousand_closing_parentheses_are_an_error()
    {
        Assert.Equal("Unexpected ')' at position 0.", ErrorOf(new string(')', 2000)).Message);
    }

    [Fact]
    public void Random_hostile_text_never_throws_and_valid_queries_round_trip()
    {
        string[] pieces =
        [
            "(", ")", "\"", "\\", ":", "*", " ", "AND", "or", "NOT", "name:", "version:", "tag:", ">=", "<", "~=",
            "2.1", "1.0.0-rc.1", "a", "é", "🚀", "\u0001", "filename:", "\t", "=", "format:",
        ];
        var random = new Random(20240601);
        var package = Package(filename: "a.zip", tags: ["a", "b"]);
        var valid = 0;

        for (var run = 0; run < 3000; run++)
        {
            TestContext.Current.CancellationToken.ThrowIfCancellationRequested();
            var text = new StringBuilder();
            var length = random.Next(1, 40);
            for (var i = 0; i < length; i++)
            {
                text.Append(pieces[random.Next(pieces.Length)]);
            }

            var result = PackageQuery.TryParse(text.ToString());
            if (!result.IsValid)
            {
                Assert.InRange(result.Error.Position, 0, text.Length);
                Assert.Contains($"position {result.Error.Position}", result.Error.Message);
                continue;
            }
            valid++;
            var again = PackageQuery.Parse(result.Query.Normalized);
            Assert.Equal(result.Query.Normalized, again.Normalized);
            Assert.Equal(result.Query.Root, again.Root);
            Assert.Equal(result.Query.Matches(package), again.Matches(package));
        }

        Assert.True(valid > 100, $"only {valid} random queries were valid");
    }
}
