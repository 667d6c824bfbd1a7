using EntitlementPortal.Features.Packages.Query;
using static EntitlementPortal.Tests.Packages.Query.SamplePackages;

namespace EntitlementPortal.Tests.Packages.Query;

public sealed class StoredPackageQueryTests
{
    [Fact]
    public void No_stored_restriction_is_no_query() => Assert.Null(PackageQuery.FromStored(null));

    [Fact]
    public void A_stored_restriction_that_parses_is_that_query() =>
        Assert.Equal("name:acme-agent", PackageQuery.FromStored("name:acme-agent")!.Normalized);

    [Theory]
    [InlineData("name:(acme")]
    [InlineData("version:>=")]
    [InlineData("AND OR")]
    [InlineData("unknownfield:x")]
    public void A_stored_restriction_that_no_longer_parses_matches_nothing(string stored)
    {
        var query = PackageQuery.FromStored(stored)!;

        Assert.False(query.MatchesEverything);
        Assert.False(query.Matches(Package()));
        Assert.Empty(query.Filter([Package(), Package(name: "other")], p => p));
    }

    [Fact]
    public void A_stored_query_longer_than_the_limit_matches_nothing() =>
        Assert.False(PackageQuery.FromStored(new string('a', PackageQuery.MaxLength + 1))!.Matches(Package(name: "a")));
}
