using System.Diagnostics.CodeAnalysis;

namespace EntitlementPortal.Features.Packages.Query;

/// <summary>
/// A package version in the order the portal sorts and compares them.
/// <list type="bullet">
/// <item>Release segments are dot-separated digits compared numerically (1.10 &gt; 1.9, no overflow at any
/// length); missing segments are 0, so 1.2 == 1.2.0. A leading <c>v</c> or <c>V</c> is allowed (v1.2 == 1.2).</item>
/// <item>A pre-release after <c>-</c> (<c>1.0.0-rc.1</c>, <c>1.0.0-beta2</c>) sorts before its release. Its
/// dot-separated identifiers compare as in SemVer 2: numeric ones numerically, others ordinally
/// (case-sensitive), numeric before alphanumeric, and with an equal prefix fewer identifiers sort first.</item>
/// <item>Build metadata after <c>+</c> is ignored.</item>
/// <item>Anything else (<c>nightly</c>, <c>1.0rc1</c>, <c>1..2</c>) is kept as an unparsed version. Parsing
/// never throws; unparsed versions sort before every parsed one (so one is never "the latest") and among
/// themselves by text, case-insensitively, then ordinally as a tie-break. Query terms that compare versions
/// never match an unparsed version; only a text term such as <c>version:nightly</c> can.</item>
/// </list>
/// Equality agrees with ordering: two versions are equal exactly when they compare as 0.
/// </summary>
public sealed class PackageVersion : IComparable<PackageVersion>, IComparable, IEquatable<PackageVersion>
{
    // Digit strings without leading zeros: compared by length then ordinally, so any length works.
    private readonly string[] _release;
    // Identifiers, numeric ones without leading zeros.
    private readonly string[] _preRelease;

    private PackageVersion(string text, string[] release, string[] preRelease)
    {
        Text = text;
        _release = release;
        _preRelease = preRelease;
    }

    /// <summary>The version as written.</summary>
    public string Text { get; }

    /// <summary>False for text that is not a version; such a version only compares by text.</summary>
    public bool IsParsed => _release.Length > 0;

    public bool IsPreRelease => _preRelease.Length > 0;

    internal int ReleaseSegmentCount => _release.Length;

    /// <summary>Never throws: text that is not a version gives an unparsed version (<see cref="IsParsed"/> false).</summary>
    public static PackageVersion Parse(string? text)
    {
        text ??= "";
        return PackageVersionText.TryParseParts(text, out var release, out var preRelease)
            ? new PackageVersion(text, release, preRelease)
            : new PackageVersion(text, [], []);
    }

    /// <summary>True only for text that parses as a version.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out PackageVersion? version)
    {
        version = Parse(text);
        if (version.IsParsed)
        {
            return true;
        }
        version = null;
        return false;
    }

    public int CompareTo(PackageVersion? other)
    {
        if (other is null)
        {
            return 1;
        }
        if (!IsParsed || !other.IsParsed)
        {
            if (IsParsed != other.IsParsed)
            {
                return IsParsed ? 1 : -1;
            }
            var byText = string.Compare(Text, other.Text, StringComparison.OrdinalIgnoreCase);
            return byText != 0 ? byText : string.CompareOrdinal(Text, other.Text);
        }

        var release = CompareRelease(other);
        if (release != 0)
        {
            return release;
        }
        if (!IsPreRelease || !other.IsPreRelease)
        {
            return IsPreRelease == other.IsPreRelease ? 0 : IsPreRelease ? -1 : 1;
        }
        var shared = Math.Min(_preRelease.Length, other._preRelease.Length);
        for (var i = 0; i < shared; i++)
        {
            var identifier = CompareIdentifiers(_preRelease[i], other._preRelease[i]);
            if (identifier != 0)
            {
                return identifier;
            }
        }
        return _preRelease.Length.CompareTo(other._preRelease.Length);
    }

    public int CompareTo(object? obj) => obj switch
    {
        null => 1,
        PackageVersion other => CompareTo(other),
        _ => throw new ArgumentException("Object must be a PackageVersion.", nameof(obj)),
    };

    public bool Equals(PackageVersion? other) => other is not null && CompareTo(other) == 0;

    public override bool Equals(object? obj) => Equals(obj as PackageVersion);

    public override int GetHashCode()
    {
        if (!IsParsed)
        {
            return StringComparer.Ordinal.GetHashCode(Text);
        }
        var hash = new HashCode();
        var significant = _release.Length;
        while (significant > 1 && _release[significant - 1] == "0")
        {
            significant--;
        }
        for (var i = 0; i < significant; i++)
        {
            hash.Add(_release[i], StringComparer.Ordinal);
        }
        hash.Add(_preRelease.Length);
        foreach (var identifier in _preRelease)
        {
            hash.Add(identifier, StringComparer.Ordinal);
        }
        return hash.ToHashCode();
    }

    public override string ToString() => Text;

    public static bool operator ==(PackageVersion? left, PackageVersion? right) =>
        left is null ? right is null : left.Equals(right);

    public static bool operator !=(PackageVersion? left, PackageVersion? right) => !(left == right);

    public static bool operator <(PackageVersion? left, PackageVersion? right) => Compare(left, right) < 0;

    public static bool operator <=(PackageVersion? left, PackageVersion? right) => Compare(left, right) <= 0;

    public static bool operator >(PackageVersion? left, PackageVersion? right) => Compare(left, right) > 0;

    public static bool operator >=(PackageVersion? left, PackageVersion? right) => Compare(left, right) >= 0;

    /// <summary>Same release segments, ignoring any pre-release (2.0.0-rc.1 has the release of 2).</summary>
    internal bool HasSameRelease(PackageVersion other) => CompareRelease(other) == 0;

    /// <summary>Whether the release starts with the prefix's segments (missing segments are 0 on both sides).</summary>
    internal bool HasReleasePrefix(PackageVersion prefix)
    {
        for (var i = 0; i < prefix._release.Length; i++)
        {
            if (CompareNumbers(SegmentAt(i), prefix.SegmentAt(i)) != 0)
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>The exclusive upper bound of <c>~=</c>: drop the last segment, add one to the one before (2.1.3 gives 2.2).</summary>
    internal PackageVersion CompatibleUpperBound()
    {
        if (_release.Length < 2)
        {
            throw new InvalidOperationException("A compatible release needs at least two segments.");
        }
        var release = _release[..^1];
        release[^1] = PackageVersionText.Increment(release[^1]);
        return new PackageVersion(string.Join('.', release), release, []);
    }

    private static int Compare(PackageVersion? left, PackageVersion? right) =>
        left is null ? (right is null ? 0 : -1) : left.CompareTo(right);

    private string SegmentAt(int index) => index < _release.Length ? _release[index] : "0";

    private int CompareRelease(PackageVersion other)
    {
        var length = Math.Max(_release.Length, other._release.Length);
        for (var i = 0; i < length; i++)
        {
            var segment = CompareNumbers(SegmentAt(i), other.SegmentAt(i));
            if (segment != 0)
            {
                return segment;
            }
        }
        return 0;
    }

    private static int CompareNumbers(string left, string right) =>
        left.Length != right.Length ? left.Length.CompareTo(right.Length) : string.CompareOrdinal(left, right);

    private static int CompareIdentifiers(string left, string right)
    {
        var leftNumeric = PackageVersionText.IsDigits(left);
        var rightNumeric = PackageVersionText.IsDigits(right);
        if (leftNumeric && rightNumeric)
        {
            return CompareNumbers(left, right);
        }
        if (leftNumeric != rightNumeric)
        {
            return leftNumeric ? -1 : 1;
        }
        return string.CompareOrdinal(left, right);
    }

}
