using EntitlementPortal.Features.Packages.Query;
using static EntitlementPortal.Tests.Packages.Query.SamplePackages;

namespace EntitlementPortal.Tests.Packages.Query;

public sealed class PackageQueryMatchingTests
{
    [Theory]
    [InlineData("name:acme-agent", true)]
    [InlineData("name:ACME-Agent", true)]
    [InlineData("name:acme", false)]
    [InlineData("name:acme*", true)]
    [InlineData("name:*agent", true)]
    [InlineData("name:*me-ag*", true)]
    [InlineData("name:a*t", true)]
    [InlineData("name:a*x", false)]
    [InlineData("name:*", true)]
    [InlineData("name:acme-agent*", true)]
    [InlineData("name:acme?agent", false)]
    [InlineData("acme-agent", true)]
    [InlineData("Acme*", true)]
    [InlineData("other", false)]
    [InlineData("tag:stable", true)]
    [InlineData("tag:linux", true)]
    [InlineData("tag:beta", false)]
    [InlineData("tag:st*", true)]
    [InlineData("tag:*", true)]
    [InlineData("format:raw", true)]
    [InlineData("format:RAW", true)]
    [InlineData("format:npm", false)]
    [InlineData("filename:*.tar.gz", true)]
    [InlineData("filename:*.zip", false)]
    [InlineData("filename:acme-agent-2.1.0.tar.gz", true)]
    [InlineData("version:2.1", true)]
    [InlineData("name:acme* AND NOT tag:beta", true)]
    [InlineData("name:x OR tag:stable", true)]
    [InlineData("name:x OR tag:beta", false)]
    [InlineData("NOT name:acme-agent", false)]
    [InlineData("(name:x OR name:acme*) tag:linux", true)]
    [InlineData("name:acme* (tag:beta OR format:npm)", false)]
    [InlineData("name:acme* tag:beta OR format:raw", true)]
    [InlineData("name:acme* AND (tag:beta OR format:raw)", true)]
    [InlineData("NOT (tag:beta OR tag:alpha) AND version:>=2", true)]
    public void Terms_match_the_facts(string query, bool expected) =>
        Assert.Equal(expected, Matches(query, AcmeAgentFile));

    [Fact]
    public void Question_mark_is_an_ordinary_character()
    {
        Assert.True(Matches("name:what?", Package(name: "what?")));
        Assert.False(Matches("name:what?", Package(name: "whats")));
    }

    [Theory]
    [InlineData("filename:*", false)]
    [InlineData("filename:acme-agent-2.1.0.tar.gz", false)]
    [InlineData("NOT filename:*.exe", true)]
    [InlineData("NOT filename:*", true)]
    [InlineData("name:acme* AND filename:*.tar.gz", false)]
    [InlineData("name:acme* OR filename:*.tar.gz", true)]
    public void A_filename_term_is_false_for_the_package_as_a_whole(string query, bool expected) =>
        Assert.Equal(expected, Matches(query, Package(filename: null)));

    [Fact]
    public void A_query_naming_files_lets_the_file_through_but_not_the_whole_package()
    {
        var query = PackageQuery.Parse("name:acme* filename:*.tar.gz");

        Assert.True(query.Matches(Package(filename: "acme-agent.tar.gz")));
        Assert.False(query.Matches(Package(filename: "acme-agent.exe")));
        Assert.False(query.Matches(Package(filename: null)));
    }

    [Theory]
    [InlineData("tag:*", false)]
    [InlineData("NOT tag:*", true)]
    [InlineData("tag:stable", false)]
    public void A_package_without_tags_matches_no_tag_term(string query, bool expected) =>
        Assert.Equal(expected, Matches(query, Package(tags: [])));

    [Fact]
    public void A_tag_term_matches_when_any_tag_matches()
    {
        var package = Package(tags: ["linux-x64", "windows-x64", "lts"]);

        Assert.True(Matches("tag:windows*", package));
        Assert.True(Matches("tag:LTS", package));
        Assert.True(Matches("tag:linux* tag:lts", package));
        Assert.False(Matches("tag:*arm*", package));
    }

    [Theory]
    [InlineData("name:\"acme agent pro\"", true)]
    [InlineData("\"Acme Agent*\"", true)]
    [InlineData("\"acme agent\"", false)]
    [InlineData("name:acme agent pro", false)]
    public void Quoted_values_keep_their_spaces(string query, bool expected) =>
        Assert.Equal(expected, Matches(query, Package(name: "Acme Agent Pro")));

    [Fact]
    public void Escapes_in_quotes_match_quote_and_backslash()
    {
        Assert.True(Matches("name:\"say \\\"hi\\\"\"", Package(name: "say \"hi\"")));
        Assert.True(Matches("name:\"a\\\\b\"", Package(name: "a\\b")));
        Assert.True(Matches("name:a\\b", Package(name: "a\\b")));
    }

    [Fact]
    public void Quoting_a_keyword_searches_for_it_as_a_name()
    {
        var package = Package(name: "and");

        Assert.True(Matches("\"and\"", package));
        Assert.True(Matches("name:AND", package));
        Assert.True(Matches("\"NOT\" OR \"and\"", package));
    }

    [Theory]
    [InlineData("name:café-ünïcode-日本", true)]
    [InlineData("name:CAFÉ-ÜNÏCODE-日本", true)]
    [InlineData("name:*日本", true)]
    [InlineData("name:*中国", false)]
    [InlineData("tag:ελληνικά", true)]
    [InlineData("tag:*🚀", true)]
    [InlineData("tag:🚀*", false)]
    public void Unicode_values_match_ignoring_case(string query, bool expected) =>
        Assert.Equal(expected, Matches(query, Package(name: "Café-Ünïcode-日本", tags: ["ΕΛΛΗΝΙΚΆ", "rocket-🚀"])));

    [Fact]
    public void Filter_keeps_matching_items_in_order()
    {
        var items = new[]
        {
            ("a", Package(name: "acme-agent", version: "1.0")),
            ("b", Package(name: "other", version: "2.0")),
            ("c", Package(name: "acme-cli", version: "2.5")),
            ("d", Package(name: "acme-agent", version: "3.0")),
        };

        Assert.Equal(["c", "d"], PackageQuery.Parse("name:acme* version:>=2").Filter(items, i => i.Item2).Select(i => i.Item1));
        Assert.Equal(["a", "b", "c", "d"], PackageQuery.All.Filter(items, i => i.Item2).Select(i => i.Item1));
        Assert.Empty(PackageQuery.Parse("name:none").Filter(items, i => i.Item2));
    }

    [Fact]
    public void Filter_is_lazy_and_checks_its_arguments_at_once()
    {
        var query = PackageQuery.Parse("name:a");
        var evaluated = 0;

        var filtered = query.Filter(new[] { "a", "b" }, name => { evaluated++; return Package(name: name); });

        Assert.Equal(0, evaluated);
        Assert.Equal(["a"], filtered.ToList());
        Assert.Equal(2, evaluated);
        Assert.Throws<ArgumentNullException>(() => query.Filter<string>(null!, name => Package(name: name)));
        Assert.Throws<ArgumentNullException>(() => query.Filter(new[] { "a" }, null!));
        Assert.Throws<ArgumentNullException>(() => query.Matches(null!));
    }
}
