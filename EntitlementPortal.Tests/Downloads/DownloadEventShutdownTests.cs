using System.Net;
using EntitlementPortal.Data;
using EntitlementPortal.Features.Downloads;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace EntitlementPortal.Tests.Downloads;

public sealed class DownloadEventShutdownTests : DownloadTestBase
{
    [Fact]
    public async Task Events_still_queued_at_a_graceful_shutdown_are_all_stored()
    {
        var (_, token) = await CreateTokenAsync(new { name = "Busy", limitDownloads = 30 });
        var statuses = await Task.WhenAll(Enumerable.Range(0, 40).Select(i => Task.Run(async () =>
            (await GetAsync(i % 4 == 0 ? $"/dl/nope-{i}-0000000/{FilePath}" : $"/dl/{token}/{FilePath}")).StatusCode, Ct)));

        // Stop at once, as an operator's restart would: no waiting for the background writer first.
        await App.StopServerAndHostAsync();

        SqliteConnection.ClearAllPools();
        await using var db = App.OpenDatabase();
        var stored = await db.Set<DownloadEvent>().Select(e => e.Status).ToListAsync(Ct);
        Assert.Equal(40, stored.Count);
        Assert.Equal(statuses.Count(s => s == HttpStatusCode.OK), stored.Count(s => s == 200));
        Assert.Equal(10, stored.Count(s => s == 401));
    }
}
