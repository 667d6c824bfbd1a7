using System.Diagnostics;
using System.Globalization;

namespace EntitlementPortal.Bench;

/// <summary>One scenario's timings: a warm-up call, then <c>runs</c> timed calls, reported as median and p95.</summary>
/// The process's CPU time per call is reported too: on a shared machine the wall time also holds the wait for a core.
internal sealed record Measurement(string Scenario, double MedianMs, double P95Ms, double MedianCpuMs, double TargetMs, string Note)
{
    public bool Met => P95Ms < TargetMs;

    public static async Task<Measurement> TimeAsync(string scenario, double targetMs, int runs, Func<Task<string>> call)
    {
        // The first call compiles the query and fills SQLite's page cache: "warm" is what a page sees after that.
        var note = await call();
        var timings = new List<double>(runs);
        var cpu = new List<double>(runs);
        for (var i = 0; i < runs; i++)
        {
            var cpuBefore = Environment.CpuUsage.TotalTime;
            var watch = Stopwatch.StartNew();
            note = await call();
            timings.Add(watch.Elapsed.TotalMilliseconds);
            cpu.Add((Environment.CpuUsage.TotalTime - cpuBefore).TotalMilliseconds);
        }
        timings.Sort();
        cpu.Sort();
        return new Measurement(scenario, Percentile(timings, 0.5), Percentile(timings, 0.95), Percentile(cpu, 0.5), targetMs, note);
    }

    /// <summary>Nearest rank: of 10 runs the p95 is the slowest, the median the fifth.</summary>
    private static double Percentile(List<double> sorted, double p) =>
        sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];

    public string Row() => string.Create(CultureInfo.InvariantCulture,
        $"| {Scenario} | {MedianMs:0.0} | {P95Ms:0.0} | {MedianCpuMs:0.0} | < {TargetMs:0} | {(Met ? "yes" : "**no**")} | {Note} |");
}
