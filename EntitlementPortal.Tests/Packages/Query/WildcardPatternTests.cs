using EntitlementPortal.Features.Packages.Query;

namespace EntitlementPortal.Tests.Packages.Query;

public sealed class WildcardPatternTests
{
    [Theory]
    [InlineData("acme", "acme", true)]
    [InlineData("acme", "ACME", true)]
    [InlineData("acme", "acme-agent", false)]
    [InlineData("acme*", "acme-agent", true)]
    [InlineData("acme*", "acme", true)]
    [InlineData("*agent", "acme-agent", true)]
    [InlineData("*agent", "acme-agents", false)]
    [InlineData("a*t", "acme-agent", true)]
    [InlineData("*me-ag*", "acme-agent", true)]
    [InlineData("*", "", true)]
    [InlineData("*", "anything", true)]
    [InlineData("**", "x", true)]
    [InlineData("", "", true)]
    [InlineData("", "a", false)]
    [InlineData("a*a", "a", false)]
    [InlineData("a*a", "aa", true)]
    [InlineData("ab*ba", "aba", false)]
    [InlineData("ab*ba", "abba", true)]
    [InlineData("a*b*c", "abc", true)]
    [InlineData("a*b*c", "acb", false)]
    [InlineData("*aab", "aaab", true)]
    [InlineData("*abab*", "aabab", true)]
    [InlineData("*abac*", "ababac", true)]
    [InlineData("*x*y*", "yx", false)]
    [InlineData("a?c", "abc", false)]
    [InlineData("a?c", "a?c", true)]
    [InlineData("ÉTÉ*", "été-2024", true)]
    [InlineData("*🚀", "rocket-🚀", true)]
    public void Star_matches_any_run_and_everything_else_matches_itself_ignoring_case(string pattern, string text, bool expected) =>
        Assert.Equal(expected, new WildcardPattern(pattern).IsMatch(text));
}
