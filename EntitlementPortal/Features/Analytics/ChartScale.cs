using System.Globalization;

namespace EntitlementPortal.Features.Analytics;

/// <summary>
/// The unit a bytes chart is drawn in, picked from its largest value, so that a day of a few kilobytes does not show
/// as 0.00 MB and a day of gigabytes does not show as a 10-digit axis. Decimal units, like <c>ByteSize</c>.
/// </summary>
public sealed record ChartScale(string Unit, double Factor)
{
    private static readonly ChartScale[] Scales = [new("TB", 1e12), new("GB", 1e9), new("MB", 1e6), new("KB", 1e3)];

    public static ChartScale Bytes { get; } = new("B", 1);

    public static ChartScale ForBytes(IEnumerable<long> values)
    {
        var largest = values.DefaultIfEmpty(0).Max();
        return Scales.FirstOrDefault(s => largest >= s.Factor) ?? Bytes;
    }

    public double Of(long bytes) => Math.Round(bytes / Factor, 2);

    public string Label(long bytes) => Of(bytes).ToString("0.##", CultureInfo.InvariantCulture) + " " + Unit;
}
