using System.Globalization;

namespace EntitlementPortal.Cli.Input;

/// <summary>Sizes in decimal units as the portal shows them: 1 KB = 1,000 bytes, 1 GB = 1,000,000,000 bytes.</summary>
public static class ByteSize
{
    private static readonly (string Unit, long Factor)[] Units =
        [("TB", 1_000_000_000_000), ("GB", 1_000_000_000), ("MB", 1_000_000), ("KB", 1_000), ("B", 1)];

    /// <summary>"10GB", "1.5 TB", "500mb", "1000" (bytes); null when it is none of these.</summary>
    public static long? TryParse(string text)
    {
        var value = text.Trim();
        var factor = 1L;
        foreach (var (unit, unitFactor) in Units)
        {
            if (value.EndsWith(unit, StringComparison.OrdinalIgnoreCase))
            {
                factor = unitFactor;
                value = value[..^unit.Length].TrimEnd();
                break;
            }
        }
        if (value.Length == 0 || !char.IsAsciiDigit(value[0])
            || !decimal.TryParse(value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
        {
            return null;
        }
        var bytes = number * factor;
        return bytes is > 0 and <= long.MaxValue && bytes == decimal.Truncate(bytes) ? (long)bytes : null;
    }

    public static string Format(long bytes)
    {
        foreach (var (unit, factor) in Units)
        {
            if (bytes >= factor && factor > 1)
            {
                return (bytes / (double)factor).ToString("0.##", CultureInfo.InvariantCulture) + " " + unit;
            }
        }
        return bytes.ToString(CultureInfo.InvariantCulture) + " B";
    }
}
