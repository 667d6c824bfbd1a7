using System.Globalization;

namespace EntitlementPortal.Features.Analytics;

/// <summary>
/// How a per-day chart is drawn readably: bytes in the unit of its largest day (so a day of a few kilobytes does not
/// show as 0.00 MB, nor a day of gigabytes as a 10-digit axis; decimal units, like <c>ByteSize</c>), and ticks at
/// 1, 2 or 5 times a power of ten, at most <see cref="MaxTicks"/> of them (the chart's default step of 20 draws one
/// line for a token with a few downloads a day).
/// </summary>
public sealed record ChartScale(string Unit, double Factor, int Step)
{
    public const int MaxTicks = 5;

    private static readonly (string Unit, double Factor)[] ByteUnits = [("TB", 1e12), ("GB", 1e9), ("MB", 1e6), ("KB", 1e3)];

    public static ChartScale ForCounts(IEnumerable<long> values) => new("", 1, StepFor(values.DefaultIfEmpty(0).Max()));

    public static ChartScale ForBytes(IEnumerable<long> values)
    {
        var largest = values.DefaultIfEmpty(0).Max();
        var (unit, factor) = ByteUnits.FirstOrDefault(u => largest >= u.Factor, ("B", 1));
        return new ChartScale(unit, factor, StepFor(largest / factor));
    }

    public double Of(long value) => Math.Round(value / Factor, 2);

    public string Label(long value) => (Of(value).ToString("0.##", CultureInfo.InvariantCulture) + " " + Unit).TrimEnd();

    /// <summary>The smallest step of 1, 2 or 5 times a power of ten that reaches <paramref name="largest"/> in at most <see cref="MaxTicks"/> ticks.</summary>
    private static int StepFor(double largest)
    {
        for (var power = 1L; ; power *= 10)
        {
            foreach (var multiple in new[] { 1, 2, 5 })
            {
                var step = multiple * power;
                if (largest / step <= MaxTicks || step >= int.MaxValue / 10)
                {
                    return (int)step;
                }
            }
        }
    }
}
