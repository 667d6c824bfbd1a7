using System.Diagnostics.CodeAnalysis;

namespace EntitlementPortal.Features.Packages.Query;

internal enum VersionOperator
{
    Equal,
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual,
}

/// <summary>
/// Matchers that compare versions numerically. A package version that does not parse never matches one of
/// them (whichever side of a range it would fall): a token limited to <c>version:&lt;3</c> must not let
/// through a build called "nightly".
/// </summary>
internal static class VersionBounds
{
    /// <summary>
    /// <c>&lt;</c> as PEP 440 defines it: below a release bound means below its pre-releases too, so
    /// <c>version:&lt;3</c> (or <c>~=2.1</c>) does not let 3.0.0-rc.1 through, while <c>&lt;3.0.0-rc.2</c>
    /// does. For entitlements that is the safe reading: "before 3" excludes previews of 3.
    /// </summary>
    public static bool IsBelow(PackageVersion version, PackageVersion bound) =>
        version < bound && !(version.IsPreRelease && !bound.IsPreRelease && version.HasSameRelease(bound));
}

internal sealed class VersionComparison(VersionOperator @operator, PackageVersion bound) : ValueMatcher
{
    public override string Text => Symbol + bound.Text;

    private string Symbol => @operator switch
    {
        VersionOperator.Less => "<",
        VersionOperator.LessOrEqual => "<=",
        VersionOperator.Greater => ">",
        VersionOperator.GreaterOrEqual => ">=",
        _ => "",
    };

    public override bool Matches(string value)
    {
        var version = PackageVersion.Parse(value);
        if (!version.IsParsed)
        {
            return false;
        }
        return @operator switch
        {
            VersionOperator.Equal => version == bound,
            VersionOperator.Less => VersionBounds.IsBelow(version, bound),
            VersionOperator.LessOrEqual => version <= bound,
            VersionOperator.Greater => version > bound,
            VersionOperator.GreaterOrEqual => version >= bound,
            _ => false,
        };
    }
}

/// <summary><c>~=2.1</c> means &gt;=2.1 and &lt;3; <c>~=2.1.3</c> means &gt;=2.1.3 and &lt;2.2 (PEP 440).</summary>
internal sealed class CompatibleRelease(PackageVersion lowest) : ValueMatcher
{
    private readonly PackageVersion _below = lowest.CompatibleUpperBound();

    public override string Text => "~=" + lowest.Text;

    public override bool Matches(string value)
    {
        var version = PackageVersion.Parse(value);
        return version.IsParsed && version >= lowest && VersionBounds.IsBelow(version, _below);
    }
}

/// <summary>
/// <c>2.*</c> or <c>2.1.*</c>: the release starts with these segments (missing ones count as 0, so
/// <c>2.0.*</c> matches 2). Pre-releases in the series match too (<c>2.*</c> matches 2.5.0-rc.1).
/// </summary>
internal sealed class VersionPrefix : ValueMatcher
{
    private readonly PackageVersion _prefix;

    private VersionPrefix(PackageVersion prefix) => _prefix = prefix;

    public override string Text => _prefix.Text + ".*";

    public static bool TryCreate(string value, [NotNullWhen(true)] out VersionPrefix? prefix)
    {
        prefix = null;
        if (!value.EndsWith(".*", StringComparison.Ordinal))
        {
            return false;
        }
        var head = value[..^2];
        if (head.Contains('-') || head.Contains('+') || !PackageVersion.TryParse(head, out var version))
        {
            return false;
        }
        prefix = new VersionPrefix(version);
        return true;
    }

    public override bool Matches(string value)
    {
        var version = PackageVersion.Parse(value);
        return version.IsParsed && version.HasReleasePrefix(_prefix);
    }
}
