using EntitlementPortal.Features.Packages.Query;

namespace EntitlementPortal.Tests.Packages.Query;

public sealed class PackageVersionTests
{
    private static readonly string[] SemVerOrder =
    [
        "1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta", "1.0.0-beta.2", "1.0.0-beta.11",
        "1.0.0-rc.1", "1.0.0",
    ];

    public static TheoryData<int> SemVerIndexes => new(Enumerable.Range(0, SemVerOrder.Length - 1));

    [Theory]
    [MemberData(nameof(SemVerIndexes))]
    public void Pre_releases_follow_semver_precedence(int index)
    {
        var lower = PackageVersion.Parse(SemVerOrder[index]);
        for (var i = index + 1; i < SemVerOrder.Length; i++)
        {
            var higher = PackageVersion.Parse(SemVerOrder[i]);
            Assert.True(lower < higher, $"{lower} < {higher}");
            Assert.True(higher > lower, $"{higher} > {lower}");
            Assert.True(lower.CompareTo(higher) < 0);
            Assert.NotEqual(lower, higher);
        }
    }

    [Fact]
    public void Sorting_puts_versions_in_order_with_unparsed_ones_first()
    {
        var versions = new[]
        {
            "1.10", "1.0.0", "beta", "1.0.0-rc.1", "1.9", "0.9", "Beta", "1.0.0-beta.11", "alpha", "1.0.0-beta.2",
            "2.0.0-1", "2.0.0-alpha",
        }.Select(PackageVersion.Parse).ToList();

        versions.Sort();

        Assert.Equal(
            ["alpha", "Beta", "beta", "0.9", "1.0.0-beta.2", "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0", "1.9", "1.10", "2.0.0-1", "2.0.0-alpha"],
            versions.Select(v => v.Text));
    }

    [Theory]
    [InlineData("1.10", "1.9", 1)]
    [InlineData("1.2", "1.2.0", 0)]
    [InlineData("1.2.0.0", "1.2", 0)]
    [InlineData("01.002", "1.2", 0)]
    [InlineData("v1.2", "1.2", 0)]
    [InlineData("V1.2", "1.2.1", -1)]
    [InlineData("1.0.0-rc1", "1.0.0", -1)]
    [InlineData("1.0.0-rc.01", "1.0.0-rc.1", 0)]
    [InlineData("1.0.0-1", "1.0.0-alpha", -1)]
    [InlineData("1.0.0-RC", "1.0.0-rc", -1)]
    [InlineData("1.0.0+build.1", "1.0.0+build.2", 0)]
    [InlineData("1.0.0-rc.1+x", "1.0.0-rc.1", 0)]
    [InlineData("18446744073709551616", "18446744073709551615", 1)]
    [InlineData("2", "10", -1)]
    [InlineData("nightly", "0.0.1", -1)]
    [InlineData("Nightly", "nightly", -1)]
    [InlineData("nightly", "nightly", 0)]
    public void Compares_numerically_then_by_pre_release(string left, string right, int expected)
    {
        var a = PackageVersion.Parse(left);
        var b = PackageVersion.Parse(right);

        Assert.Equal(expected, Math.Sign(a.CompareTo(b)));
        Assert.Equal(-expected, Math.Sign(b.CompareTo(a)));
        Assert.Equal(expected == 0, a.Equals(b));
        Assert.Equal(expected == 0, a == b);
        if (expected == 0)
        {
            Assert.Equal(a.GetHashCode(), b.GetHashCode());
        }
    }

    [Theory]
    [InlineData("1")]
    [InlineData("1.2.3.4.5")]
    [InlineData("v1.0")]
    [InlineData("1.0.0-rc1")]
    [InlineData("1.0.0-beta.2")]
    [InlineData("1.0.0-x-y.z--")]
    [InlineData("1.0.0+build.5")]
    [InlineData("1.0.0-rc.1+sha.abc123")]
    [InlineData("2024.01.15")]
    public void Parses_versions(string text)
    {
        Assert.True(PackageVersion.TryParse(text, out var version));
        Assert.True(version.IsParsed);
        Assert.Equal(text, version.Text);
        Assert.Equal(text, version.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("nightly")]
    [InlineData("v")]
    [InlineData("1.0rc1")]
    [InlineData("1..2")]
    [InlineData(".1")]
    [InlineData("1.")]
    [InlineData("1.0-")]
    [InlineData("1.0-rc..1")]
    [InlineData("1.0-rc_1")]
    [InlineData("1.0+")]
    [InlineData("1.0+a..b")]
    [InlineData(" 1.0")]
    [InlineData("1.0 ")]
    [InlineData("-1.0")]
    [InlineData("1.٣")]
    [InlineData("1.*")]
    public void Keeps_unparseable_text_as_an_unparsed_version(string text)
    {
        Assert.False(PackageVersion.TryParse(text, out var none));
        Assert.Null(none);

        var version = PackageVersion.Parse(text);
        Assert.False(version.IsParsed);
        Assert.False(version.IsPreRelease);
        Assert.Equal(text, version.Text);
        Assert.True(version < PackageVersion.Parse("0"));
    }

    [Fact]
    public void Null_and_other_objects_compare_sensibly()
    {
        var version = PackageVersion.Parse("1.0");

        Assert.Equal(1, version.CompareTo(null));
        Assert.Equal(1, version.CompareTo((object?)null));
        Assert.True(version > null);
        Assert.True(null < version);
        Assert.False(version == null);
        Assert.False(version.Equals("1.0"));
        Assert.Throws<ArgumentException>(() => version.CompareTo((object)"1.0"));
        Assert.Equal("", PackageVersion.Parse(null).Text);
        Assert.True(PackageVersion.Parse("1.0-rc.1").IsPreRelease);
    }
}
