using EntitlementPortal.Features.Packages.Query;
using static EntitlementPortal.Tests.Packages.Query.SamplePackages;

namespace EntitlementPortal.Tests.Packages.Query;

public sealed class PackageQueryVersionTests
{
    private static bool VersionMatches(string query, string version) => Matches(query, Package(version: version));

    [Theory]
    [InlineData("version:>=2.0", "2.0", true)]
    [InlineData("version:>=2.0", "2", true)]
    [InlineData("version:>=2.0", "10.0", true)]
    [InlineData("version:>=2.0", "1.9.9", false)]
    [InlineData("version:>=2.0", "2.0.0-rc.1", false)]
    [InlineData("version:>2", "2.0.0", false)]
    [InlineData("version:>2", "2.0.1", true)]
    [InlineData("version:>2", "2.0.1-alpha", true)]
    [InlineData("version:>1.9", "1.10", true)]
    [InlineData("version:<=3", "3.0.0", true)]
    [InlineData("version:<=3", "3.0.0-rc1", true)]
    [InlineData("version:<=3", "3.0.1", false)]
    [InlineData("version:<3", "2.99", true)]
    [InlineData("version:<3", "2.0.0-rc.1", true)]
    [InlineData("version:<3", "3.0", false)]
    [InlineData("version:<3", "3.0.1", false)]
    [InlineData("version:<3.0.0-rc.2", "3.0.0-rc.1", true)]
    [InlineData("version:<3.0.0-rc.2", "3.0.0-rc.2", false)]
    [InlineData("version:>99999999999999999999", "100000000000000000000", true)]
    [InlineData("version:\">=2.0\"", "2.1", true)]
    public void Comparisons_are_numeric_segment_by_segment(string query, string version, bool expected) =>
        Assert.Equal(expected, VersionMatches(query, version));

    [Theory]
    [InlineData("3.0.0-rc.1")]
    [InlineData("3.0-alpha")]
    [InlineData("3-beta.2")]
    public void Below_a_release_excludes_its_own_pre_releases(string version)
    {
        Assert.False(VersionMatches("version:<3", version));
        Assert.False(VersionMatches("version:~=2.1", version));
        Assert.True(VersionMatches("version:<=3", version));
    }

    [Theory]
    [InlineData("version:=1.2", "1.2", true)]
    [InlineData("version:=1.2", "1.2.0", true)]
    [InlineData("version:=1.2", "1.2.0.0", true)]
    [InlineData("version:=1.2", "v1.2", true)]
    [InlineData("version:=1.2", "01.02", true)]
    [InlineData("version:=1.2", "1.2.0+build.5", true)]
    [InlineData("version:=1.2", "1.2.1", false)]
    [InlineData("version:=1.2", "1.2.0-rc1", false)]
    [InlineData("version:1.2", "1.2.0", true)]
    [InlineData("version:1.2.0", "1.2", true)]
    [InlineData("version:1.2", "1.20", false)]
    [InlineData("version:1.10", "1.9", false)]
    [InlineData("version:1.0.0-rc.1", "1.0.0-rc.1", true)]
    [InlineData("version:1.0.0-rc.1", "1.0.0-RC.1", false)]
    public void Equality_is_numeric(string query, string version, bool expected) =>
        Assert.Equal(expected, VersionMatches(query, version));

    [Theory]
    [InlineData("version:~=2.1", "2.1", true)]
    [InlineData("version:~=2.1", "2.1.0", true)]
    [InlineData("version:~=2.1", "2.9.9", true)]
    [InlineData("version:~=2.1", "2.10", true)]
    [InlineData("version:~=2.1", "2.5.0-beta", true)]
    [InlineData("version:~=2.1", "2.0.9", false)]
    [InlineData("version:~=2.1", "2.1.0-rc1", false)]
    [InlineData("version:~=2.1", "3.0", false)]
    [InlineData("version:~=2.1", "3.0.0-rc1", false)]
    [InlineData("version:~=2.1.3", "2.1.3", true)]
    [InlineData("version:~=2.1.3", "2.1.9", true)]
    [InlineData("version:~=2.1.3", "2.1.12", true)]
    [InlineData("version:~=2.1.3", "2.1.2", false)]
    [InlineData("version:~=2.1.3", "2.2.0", false)]
    [InlineData("version:~=2.1.3", "2.2.0-alpha", false)]
    [InlineData("version:~=1.9", "1.10", true)]
    [InlineData("version:~=1.99", "1.100", true)]
    [InlineData("version:~=1.99", "2.0", false)]
    [InlineData("version:~=2.9.9", "2.9.15", true)]
    [InlineData("version:~=2.9.9", "2.10.0", false)]
    [InlineData("version:~=9.9", "9.10", true)]
    [InlineData("version:~=9.9", "10.0", false)]
    [InlineData("version:~=2.1.0-rc.1", "2.1.0-rc.2", true)]
    [InlineData("version:~=2.1.0-rc.1", "2.1.0-beta", false)]
    public void Compatible_release_keeps_all_but_the_last_segment(string query, string version, bool expected) =>
        Assert.Equal(expected, VersionMatches(query, version));

    [Theory]
    [InlineData("version:2.*", "2", true)]
    [InlineData("version:2.*", "2.0", true)]
    [InlineData("version:2.*", "2.9.1", true)]
    [InlineData("version:2.*", "2.5.0-rc.1", true)]
    [InlineData("version:2.*", "20.0", false)]
    [InlineData("version:2.*", "3.0", false)]
    [InlineData("version:2.*", "1.9", false)]
    [InlineData("version:2.1.*", "2.1.7", true)]
    [InlineData("version:2.1.*", "2.1", true)]
    [InlineData("version:2.1.*", "2.2", false)]
    [InlineData("version:2.1.*", "2", false)]
    [InlineData("version:2.0.*", "2", true)]
    [InlineData("version:=2.*", "2.4", true)]
    [InlineData("version:v2.*", "2.4", true)]
    public void Version_wildcard_is_a_prefix_of_segments(string query, string version, bool expected) =>
        Assert.Equal(expected, VersionMatches(query, version));

    [Theory]
    [InlineData("version:>=0", "nightly", false)]
    [InlineData("version:<999", "nightly", false)]
    [InlineData("version:~=1.0", "nightly", false)]
    [InlineData("version:1.*", "1.0rc1", false)]
    [InlineData("version:1.0", "1.0rc1", false)]
    [InlineData("NOT version:>=2", "nightly", true)]
    [InlineData("version:nightly", "Nightly", true)]
    [InlineData("version:night*", "nightly-2024", true)]
    [InlineData("version:*", "nightly", true)]
    [InlineData("version:*", "1.0", true)]
    [InlineData("version:1.0rc1", "1.0RC1", true)]
    [InlineData("version:*-rc*", "1.0.0-rc1", true)]
    [InlineData("version:*-rc*", "1.0.0", false)]
    [InlineData("version:2*", "20.1", true)]
    public void Unparsed_versions_match_only_text_terms(string query, string version, bool expected) =>
        Assert.Equal(expected, VersionMatches(query, version));

    [Theory]
    [InlineData("")]
    [InlineData("...")]
    [InlineData("-")]
    [InlineData("+")]
    [InlineData("1.0.0-")]
    [InlineData("\u0000")]
    [InlineData("99999999999999999999999999999999999999.1")]
    public void Odd_package_versions_never_throw(string version)
    {
        foreach (var query in new[] { "version:>=1", "version:<1", "version:~=1.0", "version:1.*", "version:1", "version:x*" })
        {
            _ = VersionMatches(query, version);
        }
    }
}
