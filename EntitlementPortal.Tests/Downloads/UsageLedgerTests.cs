using System.Data.Common;
using System.Net;
using EntitlementPortal.Data;
using EntitlementPortal.Features.Downloads;
using EntitlementPortal.Features.Tokens;
using EntitlementPortal.Tests.Support;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace EntitlementPortal.Tests.Downloads;

/// <summary>The batched ledger itself: nothing queued is lost on a graceful shutdown, and nothing unrecorded is served.</summary>
public sealed class UsageLedgerTests : DownloadTestBase
{
    private readonly FailingClientInsert failure = new();

    public UsageLedgerTests() => App.DatabaseInterceptors.Add(failure);

    [Fact]
    public async Task Counts_still_queued_at_a_graceful_shutdown_are_all_committed_and_a_late_one_by_itself()
    {
        var (id, _) = await CreateTokenAsync(new { name = "Busy", limitDownloads = 50 });
        var ledger = App.Services.GetRequiredService<UsageLedger>();
        var writer = App.Services.GetServices<IHostedService>().OfType<UsageLedgerWriter>().Single();
        var fileKey = UsageLedger.FileKey(Repo, Package, Version, Filename);
        UsageItem Item(int i) => new(id, $"198.51.100.{i % 7}", fileKey, new UsageClaim(IsDownload: true, IsRange: false, Bytes: Content.Length));

        Task<UsageAdmission>[] queued;
        Task stopping;
        Task<UsageAdmission> late;
        // Holding SQLite's in-process write turn keeps the writer from committing: the items stay queued while the
        // host stops, just as a burst of requests would be at an operator's restart.
        using (await App.Services.GetRequiredService<DatabaseWriteGate>().EnterAsync(Ct))
        {
            queued = [.. Enumerable.Range(0, 300).Select(i => ledger.CountAsync(Item(i), Ct))];
            stopping = writer.StopAsync(Ct);
            late = ledger.CountAsync(Item(300), Ct);
            Assert.False(stopping.IsCompleted);
        }

        await stopping.WaitAsync(TimeSpan.FromSeconds(60), Ct);
        // Every queued count gets a verdict (the awaiting method resumes on the thread pool just after its batch, so
        // wait for it briefly rather than sample its state at the instant the writer stopped): none is dropped.
        await Task.WhenAll(queued).WaitAsync(TimeSpan.FromSeconds(10), Ct);
        // The late one waits for the same write turn as the writer's remaining batches, so it may be admitted before them.
        UsageAdmission[] verdicts = [.. await Task.WhenAll(queued), await late.WaitAsync(TimeSpan.FromSeconds(60), Ct)];
        Assert.Equal(50, verdicts.Count(v => v.IsAllowed));
        Assert.Equal(251, verdicts.Count(v => v.Refusal?.Code == "download_limit"));
        var usage = await TokenAsync(id);
        Assert.Equal(50, usage.GetProperty("downloads").GetInt64());
        Assert.Equal(7, usage.GetProperty("clients").GetInt32());
        Assert.Equal(50L * Content.Length, usage.GetProperty("bandwidthBytes").GetInt64());
    }

    [Fact]
    public async Task A_batch_that_cannot_be_recorded_serves_nothing_and_counts_nothing()
    {
        var (id, token) = await CreateTokenAsync(new { name = "Unlimited" });
        failure.Arm();

        var refused = await GetAsync($"/dl/{token}/{FilePath}");

        Assert.Equal("usage_unavailable", (await refused.AssertProblemAsync(503)).GetProperty("reason").GetString());
        var usage = await TokenAsync(id);
        Assert.Equal((0L, 0, 0L), (usage.GetProperty("downloads").GetInt64(), usage.GetProperty("clients").GetInt32(), usage.GetProperty("bandwidthBytes").GetInt64()));
        Assert.Equal(HttpStatusCode.OK, (await GetAsync($"/dl/{token}/{FilePath}")).StatusCode);
        usage = await TokenAsync(id);
        Assert.Equal((1L, 1, (long)Content.Length), (usage.GetProperty("downloads").GetInt64(), usage.GetProperty("clients").GetInt32(), usage.GetProperty("bandwidthBytes").GetInt64()));
    }

    /// <summary>Once armed, fails the next insert of a client row, as a full disk or a lost connection would.</summary>
    private sealed class FailingClientInsert : DbCommandInterceptor
    {
        private int armed;

        public void Arm() => Volatile.Write(ref armed, 1);

        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
            DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            FailIfArmed(command);
            return base.ReaderExecutingAsync(command, eventData, result, cancellationToken);
        }

        public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(
            DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            FailIfArmed(command);
            return base.NonQueryExecutingAsync(command, eventData, result, cancellationToken);
        }

        private void FailIfArmed(DbCommand command)
        {
            if (command.CommandText.Contains("INSERT INTO \"TokenClients\"", StringComparison.Ordinal) && Interlocked.Exchange(ref armed, 0) == 1)
            {
                throw new InvalidOperationException("The database file could not be written.");
            }
        }
    }
}
