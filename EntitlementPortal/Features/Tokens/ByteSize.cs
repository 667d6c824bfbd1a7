using System.Globalization;

namespace EntitlementPortal.Features.Tokens;

/// <summary>Byte counts as people write them: decimal units (1 GB = 1,000,000,000 bytes), as bandwidth is billed.</summary>
public static class ByteSize
{
    private static readonly (string Unit, long Factor)[] Units =
        [("TB", 1_000_000_000_000), ("GB", 1_000_000_000), ("MB", 1_000_000), ("KB", 1_000), ("B", 1)];

    public static string Format(long bytes)
    {
        foreach (var (unit, factor) in Units)
        {
            if (Math.Abs(bytes) >= factor && factor > 1)
            {
                return (bytes / (double)factor).ToString("0.##", CultureInfo.InvariantCulture) + " " + unit;
            }
        }
        return bytes.ToString(CultureInfo.InvariantCulture) + " B";
    }

    public static long Multiplier(string unit)
    {
        foreach (var (name, factor) in Units)
        {
            if (string.Equals(name, unit, StringComparison.OrdinalIgnoreCase))
            {
                return factor;
            }
        }
        throw new ArgumentException($"Unknown unit '{unit}'.", nameof(unit));
    }

    public static IReadOnlyList<string> UnitNames { get; } = ["KB", "MB", "GB", "TB"];
}
