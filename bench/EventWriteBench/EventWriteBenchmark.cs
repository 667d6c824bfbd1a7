using System.Diagnostics;
using System.Globalization;
using EntitlementPortal.Data;
using EntitlementPortal.Features.Downloads;
using EntitlementPortal.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EntitlementPortal.Bench;

/// <summary>
/// How fast the history writer's store keeps up: stores batches of download events shaped like a busy download
/// route (served downloads of a few tokens, some refusals, a 429 flood) one after another, as the writer does, and
/// reports events stored per second and the process's CPU time per 1,000 events. Run it on a fresh database
/// (ConnectionStrings__Default); the host is built from the portal's registration and never started.
/// usage: EventWriteBench [--events N] [--batch N]
/// </summary>
public static class EventWriteBenchmark
{
    public static async Task<int> Main(string[] args)
    {
        var events = Option(args, "--events", 100_000);
        var batch = Option(args, "--batch", 500);
        var builder = WebApplication.CreateBuilder();
        builder.AddPortal();
        builder.Logging.ClearProviders();
        await using var app = builder.Build();
        await using (var scope = app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<AppDbContext>().Database.MigrateAsync();
        }
        var store = app.Services.GetRequiredService<DownloadEventStore>();
        var now = DateTime.UtcNow;

        // Warm-up: compiles the rollup statements and fills the caches, as a running writer has.
        for (var i = 0; i < 5; i++)
        {
            await store.StoreAsync(Batch(now, i * batch, batch));
        }
        var cpuBefore = Environment.CpuUsage.TotalTime;
        var watch = Stopwatch.StartNew();
        for (var stored = 0; stored < events; stored += batch)
        {
            await store.StoreAsync(Batch(now, stored, Math.Min(batch, events - stored)));
        }
        var seconds = watch.Elapsed.TotalSeconds;
        var cpuMs = (Environment.CpuUsage.TotalTime - cpuBefore).TotalMilliseconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{events:N0} events in batches of {batch}: {events / seconds:N0} events/s, {cpuMs / events * 1000:N1} ms CPU per 1,000 events ({seconds:N2} s wall, {cpuMs / 1000:N2} s CPU)"));
        return 0;
    }

    private static List<DownloadEvent> Batch(DateTime now, int first, int count) =>
        Enumerable.Range(first, count).Select(i => Event(now, i)).ToList();

    /// <summary>Mostly served downloads of ten tokens; every 20th a refusal, every 50th an attempt of a 429 flood.</summary>
    private static DownloadEvent Event(DateTime now, int i)
    {
        var refused = i % 20 == 0;
        var flood = i % 50 == 1;
        return new DownloadEvent
        {
            At = now,
            Repo = "bench",
            Package = "app",
            Version = "1.0." + (i % 3),
            Filename = "small.bin",
            TokenId = flood ? null : 1 + i % 10,
            CustomerId = flood ? null : 1 + i % 5,
            AuthMethod = flood ? AuthMethod.None : AuthMethod.TokenInPath,
            ClientIp = "10.0." + (i % 7) + ".1",
            UserAgent = "curl/8.5.0",
            Status = flood ? 429 : refused ? 403 : 200,
            Bytes = refused || flood ? 0 : 4096,
            Reason = flood ? "too_many_failures" : refused ? "token_disabled" : null,
            Counted = !refused && !flood,
        };
    }

    private static int Option(string[] args, string name, int fallback)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? int.Parse(args[at + 1], CultureInfo.InvariantCulture) : fallback;
    }
}
