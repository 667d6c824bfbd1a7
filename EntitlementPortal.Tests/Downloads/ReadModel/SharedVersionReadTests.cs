using System.Diagnostics.Metrics;
using EntitlementPortal.Data;
using EntitlementPortal.Features.Downloads;
using EntitlementPortal.Features.Downloads.ReadModel;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace EntitlementPortal.Tests.Downloads.ReadModel;

/// <summary>
/// Requests share model-version reads, and sharing must never answer a request with a read that began before it
/// arrived: that read could miss a change committed just before the request, which the request must see.
/// </summary>
public sealed class SharedVersionReadTests : DownloadTestBase
{
    [Fact]
    public async Task A_read_asked_for_after_a_change_is_committed_sees_it_while_other_reads_are_running()
    {
        var reader = App.Services.GetRequiredService<DownloadModelVersionReader>();
        var factory = App.Services.GetRequiredService<IDbContextFactory<AppDbContext>>();
        using var storm = new CancellationTokenSource();
        // Readers that keep a shared read running at every moment, so the read after each change has one to join.
        var readers = Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            var reads = 0;
            while (!storm.IsCancellationRequested)
            {
                await reader.ReadAsync(CancellationToken.None);
                reads++;
            }
            return reads;
        }, Ct)).ToList();
        try
        {
            for (var change = 0; change < 100; change++)
            {
                long committed;
                await using (var db = await factory.CreateDbContextAsync(Ct))
                {
                    await using var transaction = await db.Database.BeginTransactionAsync(Ct);
                    await DownloadModelChanges.BumpAsync(db, Ct);
                    committed = await db.Set<DownloadModelVersion>().Select(v => v.Version).SingleAsync(Ct);
                    await transaction.CommitAsync(Ct);
                }
                Assert.True(await reader.ReadAsync(Ct) >= committed, $"Change {change}: a read began before version {committed} was committed.");
            }
        }
        finally
        {
            await storm.CancelAsync();
        }
        Assert.All(await Task.WhenAll(readers), reads => Assert.True(reads > 0));
    }

    [Fact]
    public async Task Many_concurrent_requests_share_reads_and_each_gets_the_current_version()
    {
        var reader = App.Services.GetRequiredService<DownloadModelVersionReader>();
        var current = await App.WithDbAsync(db => db.Set<DownloadModelVersion>().Select(v => v.Version).SingleAsync(Ct));

        var versions = await Task.WhenAll(Enumerable.Range(0, 500).Select(_ => reader.ReadAsync(Ct)));

        Assert.All(versions, v => Assert.Equal(current, v));
    }

    [Fact]
    public async Task A_caller_that_stops_waiting_does_not_cancel_the_read_it_shares()
    {
        var reader = App.Services.GetRequiredService<DownloadModelVersionReader>();
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        var shared = Enumerable.Range(0, 20).Select(_ => reader.ReadAsync(Ct)).ToList();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => reader.ReadAsync(cancelled.Token));

        Assert.All(await Task.WhenAll(shared), v => Assert.True(v >= 0));
    }

    [Fact]
    public async Task The_ledger_and_the_history_writer_report_what_they_wrote()
    {
        var factory = App.Services.GetRequiredService<IMeterFactory>();
        var totals = new Dictionary<string, double>();
        var threeEventsWritten = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            // Only this test's portal: other tests' hosts publish the same meter name at the same time.
            if (instrument.Meter.Name == DownloadMetrics.MeterName && instrument.Meter.Scope == factory)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        void Add(Instrument instrument, double value)
        {
            lock (totals)
            {
                totals[instrument.Name] = totals.GetValueOrDefault(instrument.Name) + value;
                if (totals.GetValueOrDefault("ep.download_events.written") >= 3)
                {
                    threeEventsWritten.TrySetResult();
                }
            }
        }
        listener.SetMeasurementEventCallback<long>((instrument, value, _, _) => Add(instrument, value));
        listener.SetMeasurementEventCallback<double>((instrument, value, _, _) => Add(instrument, value));
        listener.Start();
        var (_, token) = await CreateTokenAsync(new { name = "Measured" });

        for (var i = 0; i < 3; i++)
        {
            (await Anonymous.GetAsync($"/dl/{token}/{FilePath}", Ct)).EnsureSuccessStatusCode();
        }
        // Ledger figures are recorded before a request is answered; the history writer's after its commit.
        await threeEventsWritten.Task.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        var stored = await App.WithDbAsync(db => db.Set<DownloadEvent>().CountAsync(Ct));

        lock (totals)
        {
            Assert.Equal(3, totals["ep.usage_ledger.items"]);
            Assert.InRange(totals["ep.usage_ledger.batches"], 1, 3);
            Assert.True(totals["ep.usage_ledger.batch_time"] > 0);
            Assert.True(totals.ContainsKey("ep.usage_ledger.write_wait"));
            Assert.Equal(stored, totals["ep.download_events.written"]);
            Assert.True(totals["ep.download_events.batches"] >= 1);
        }
    }
}
