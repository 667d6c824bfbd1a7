using System.Diagnostics;
using System.Globalization;
using System.Security.Claims;
using EntitlementPortal.Data;
using EntitlementPortal.Features.Analytics;
using EntitlementPortal.Features.Customers;
using EntitlementPortal.Features.Dashboard;
using EntitlementPortal.Features.Downloads;
using EntitlementPortal.Features.Shared;
using EntitlementPortal.Features.Tokens;
using EntitlementPortal.Hosting;
using EntitlementPortal.Identity;
using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EntitlementPortal.Bench;

/// <summary>
/// Times the history, analytics, dashboard and token list services on an existing (seeded) database, with the
/// same calls the pages and the API make, as an administrator. The host is built from the portal's own
/// registration and never started: nothing listens, no background service runs.
/// </summary>
public static class HistoryBenchmark
{
    public static async Task<int> Main(string[] args)
    {
        var runs = args.Length == 2 && args[0] == "--runs" ? int.Parse(args[1], CultureInfo.InvariantCulture) : 10;
        var builder = WebApplication.CreateBuilder();
        builder.AddPortal();
        builder.Logging.ClearProviders();
        await using var app = builder.Build();
        var services = app.Services;
        var actor = new Actor(new ClaimsPrincipal(new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, "bench-admin"), new Claim(ClaimTypes.Role, Roles.Administrator)], "Bench")), null);
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;

        await MigrateAsync(services);
        var subjects = await Subjects.FindAsync(services.GetRequiredService<IDbContextFactory<AppDbContext>>());
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Database: {subjects.Events:N0} events, {subjects.Tokens:N0} tokens; customer {subjects.CustomerId}, token {subjects.TokenId}, repository {subjects.Repo}; {runs} warm runs each."));

        var history = services.GetRequiredService<DownloadHistoryService>();
        var customers = services.GetRequiredService<CustomerUsageService>();
        var metrics = services.GetRequiredService<RepositoryMetricsService>();
        var dashboard = services.GetRequiredService<DashboardService>();
        var tokens = services.GetRequiredService<TokenQueries>();
        var page = new PageRequest(1, 50);
        var last30 = now.AddDays(-30);
        var last90 = new AnalyticsPeriod(now.Date.AddDays(-89), now);

        async Task<string> History(DownloadQuery query, PageRequest? request = null)
        {
            var result = await history.ListAsync(actor, query, request ?? page);
            return Count(result.Total, "rows");
        }

        var figures = new List<Measurement>
        {
            await Measurement.TimeAsync("history: one customer, last 30 days, page 1 of 50", 100, runs,
                () => History(new DownloadQuery(CustomerId: subjects.CustomerId, From: last30))),
            await Measurement.TimeAsync("history: no filter, page 1 of 50", 100, runs, () => History(new DownloadQuery())),
            await Measurement.TimeAsync("history: refused only, page 1 of 50", 100, runs,
                () => History(new DownloadQuery(Outcome: HistoryOutcome.Refused))),
            await Measurement.TimeAsync("history: one token, page 1 of 50", 100, runs, () => History(new DownloadQuery(TokenId: subjects.TokenId))),
            await Measurement.TimeAsync("history: one repository, last 30 days, page 20 of 50", 100, runs,
                () => History(new DownloadQuery(Repo: subjects.Repo, From: last30), new PageRequest(20, 50))),
            await Measurement.TimeAsync("history: one package (acme-server), page 1 of 50", 100, runs,
                () => History(new DownloadQuery(Package: "acme-server"))),
            await Measurement.TimeAsync("history: one reason (token_disabled), page 1 of 50", 100, runs,
                () => History(new DownloadQuery(Reason: "token_disabled"))),
            await Measurement.TimeAsync("token usage chart: per day, whole life", 500, runs, async () =>
                Count((await history.DailyUsageAsync(actor, subjects.TokenId)).Count, "days")),
            await Measurement.TimeAsync("customer usage: last 90 days", 500, runs, async () =>
                Count((await customers.GetAsync(actor, subjects.CustomerId, last90)).Downloads, "downloads")),
            await Measurement.TimeAsync("repository metrics: last 90 days", 500, runs, async () =>
                Count((await metrics.GetAsync(actor, subjects.Repo, last90)).Downloads.Total, "downloads")),
            await Measurement.TimeAsync("dashboard: last 30 days", 300, runs, async () =>
                Count((await dashboard.GetAsync(actor)).Downloads, "downloads")),
            await Measurement.TimeAsync("token list: first page of 25", 50, runs, async () =>
                Count((await tokens.ListAsync(actor, new TokenFilter(), new PageRequest())).Total, "tokens")),
            await Measurement.TimeAsync("token list: search \"production 1234\"", 50, runs, async () =>
                Count((await tokens.ListAsync(actor, new TokenFilter(), new PageRequest(Search: "production 1234"))).Total, "tokens")),
        };

        Console.WriteLine();
        Console.WriteLine("| scenario | median ms | p95 ms | CPU ms (median) | target ms (p95) | met? | result |");
        Console.WriteLine("|---|---|---|---|---|---|---|");
        foreach (var figure in figures)
        {
            Console.WriteLine(figure.Row());
        }

        Console.WriteLine();
        Console.WriteLine(await ExportFigure.MeasureAsync(history, actor));
        return 0;
    }

    private static string Count(long value, string unit) => value.ToString("N0", CultureInfo.InvariantCulture) + " " + unit;

    /// <summary>
    /// A database seeded by an earlier version gets the newer migrations first (their backfills included), as the
    /// portal applies them at start-up, then fresh statistics, as <c>seed-demo</c> ends with: the figures are then those
    /// of a database seeded by this version.
    /// </summary>
    private static async Task MigrateAsync(IServiceProvider services)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var pending = (await db.Database.GetPendingMigrationsAsync()).ToList();
        if (pending.Count == 0)
        {
            return;
        }
        var clock = Stopwatch.StartNew();
        db.Database.SetCommandTimeout(TimeSpan.FromMinutes(30));
        await db.Database.MigrateAsync();
        var migrated = clock.Elapsed;
        if (db.Database.IsSqlite())
        {
            await db.Database.ExecuteSqlRawAsync("ANALYZE;");
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Migrated {string.Join(", ", pending)} in {migrated.TotalSeconds:F1} s, then ANALYZE in {(clock.Elapsed - migrated).TotalSeconds:F1} s."));
    }
}

/// <summary>What the scenarios filter by: the busiest customer, token and repository of the database.</summary>
internal sealed record Subjects(long Events, int Tokens, int CustomerId, int TokenId, string Repo)
{
    public static async Task<Subjects> FindAsync(IDbContextFactory<AppDbContext> dbFactory)
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        var events = db.Set<DownloadEvent>();
        var customer = await events.Where(e => e.CustomerId != null).GroupBy(e => e.CustomerId!.Value)
            .OrderByDescending(g => g.Count()).Select(g => g.Key).FirstAsync();
        var token = await events.Where(e => e.TokenId != null).GroupBy(e => e.TokenId!.Value)
            .OrderByDescending(g => g.Count()).Select(g => g.Key).FirstAsync();
        var repo = await events.GroupBy(e => e.Repo).OrderByDescending(g => g.Count()).Select(g => g.Key).FirstAsync();
        return new Subjects(await events.LongCountAsync(), await db.Set<EntitlementToken>().CountAsync(), customer, token, repo);
    }
}

/// <summary>The whole history as CSV into a discarding stream, with the process's memory sampled while it runs.</summary>
internal static class ExportFigure
{
    public static async Task<string> MeasureAsync(DownloadHistoryService history, Actor actor)
    {
        using var process = Process.GetCurrentProcess();
        GC.Collect();
        process.Refresh();
        var (rssBefore, heapBefore) = (process.WorkingSet64, GC.GetTotalMemory(forceFullCollection: true));
        long rssPeak = rssBefore, heapPeak = heapBefore;
        using var done = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(50));
            while (await timer.WaitForNextTickAsync(done.Token).AsTask().ContinueWith(t => !t.IsCanceled && t.Result, TaskScheduler.Default))
            {
                process.Refresh();
                rssPeak = Math.Max(rssPeak, process.WorkingSet64);
                heapPeak = Math.Max(heapPeak, GC.GetTotalMemory(forceFullCollection: false));
            }
        });

        var counter = new CountingStream();
        var cpuBefore = Environment.CpuUsage.TotalTime;
        var watch = Stopwatch.StartNew();
        await DownloadCsv.WriteAsync(counter, await history.ExportAsync(actor, new DownloadQuery()), CancellationToken.None);
        var elapsed = watch.Elapsed;
        var cpu = Environment.CpuUsage.TotalTime - cpuBefore;
        await done.CancelAsync();
        await sampler;
        process.Refresh();
        var (rssAfter, heapAfter) = (process.WorkingSet64, GC.GetTotalMemory(forceFullCollection: true));

        static string MiB(long bytes) => (bytes / 1024.0 / 1024.0).ToString("0", CultureInfo.InvariantCulture);
        return string.Create(CultureInfo.InvariantCulture,
            $"| CSV export of every event to a discarding stream | {elapsed.TotalSeconds:0.0} s | CPU {cpu.TotalSeconds:0.0} s | target < 30 s | {(elapsed.TotalSeconds < 30 ? "yes" : "**no**")} | "
            + $"{counter.Lines:N0} lines, {MiB(counter.Length)} MiB | RSS {MiB(rssBefore)} → peak {MiB(rssPeak)} → {MiB(rssAfter)} MiB | "
            + $"managed heap {MiB(heapBefore)} → peak {MiB(heapPeak)} → {MiB(heapAfter)} MiB |");
    }
}

/// <summary>Stream.Null that counts what it was given, so the export's size and row count are reported.</summary>
internal sealed class CountingStream : Stream
{
    private long length;

    public long Lines { get; private set; }

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => length;
    public override long Position { get => length; set => throw new NotSupportedException(); }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        length += buffer.Length;
        Lines += buffer.Count((byte)'\n');
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Write(buffer.Span);
        return ValueTask.CompletedTask;
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        Write(buffer.AsSpan(offset, count));
        return Task.CompletedTask;
    }

    public override void Flush() { }
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}
