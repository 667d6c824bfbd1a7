using System.Net;
using EntitlementPortal.Data;
using EntitlementPortal.Features.Downloads;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using EntitlementPortal.Tests.Support;

namespace EntitlementPortal.Tests.Downloads;

/// <summary>
/// The event queue is bounded: with the writer held, requests beyond its capacity wait in the queue instead of
/// dropping their events, and once the writer goes on every event is stored exactly once.
/// </summary>
public sealed class DownloadEventBackPressureTests() : DownloadTestBase(new() { ["Downloads:EventQueueCapacity"] = "2" })
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    /// <remarks>Only SQLite has the write gate that holds the writer here; the queue itself is the same on every provider.</remarks>
    [Fact]
    [Trait("Database", TestProvider.SqliteOnly)]
    public async Task With_the_writer_held_requests_beyond_the_capacity_wait_and_every_event_is_stored_once()
    {
        var (_, token) = await CreateTokenAsync(new { name = "Held" });
        var queue = App.Services.GetRequiredService<DownloadEventQueue>();
        // The writer stores every batch through the write gate (SQLite here): holding the gate holds the writer.
        // HEAD serves the file without counting it, so the requests themselves never need the gate.
        var turn = await App.Services.GetRequiredService<DatabaseWriteGate>().EnterAsync(Ct);
        HttpResponseMessage[] responses;
        try
        {
            // The writer takes the first event and waits at the gate with it.
            Assert.Equal(HttpStatusCode.OK, (await HeadAsync(token, "held-0")).StatusCode);
            Assert.True(SpinWait.SpinUntil(() => queue.Reader.Count == 0, Bound), "The writer never took the first event.");

            var requests = Enumerable.Range(1, 6).Select(i => HeadAsync(token, $"held-{i}")).ToArray();
            // Two events fill the queue; the four other requests wait for room before they complete.
            Assert.True(SpinWait.SpinUntil(() => queue.Reader.Count == 2 && queue.Waiting == 4, Bound),
                $"Expected 2 queued events and 4 waiting requests, saw {queue.Reader.Count} and {queue.Waiting}.");
            Assert.Empty(await StoredUserAgentsAsync());

            turn.Dispose();
            responses = await Task.WhenAll(requests);
        }
        finally
        {
            turn.Dispose();
        }

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        await EventsAsync(atLeast: 7);
        Assert.Equal(Enumerable.Range(0, 7).Select(i => $"held-{i}"), (await StoredUserAgentsAsync()).Order());
        Assert.Equal(0, queue.Waiting);
    }

    private Task<HttpResponseMessage> HeadAsync(string token, string userAgent) =>
        GetAsync($"/dl/{token}/{FilePath}", request => request.Headers.UserAgent.ParseAdd(userAgent), HttpMethod.Head);

    private Task<List<string>> StoredUserAgentsAsync() =>
        App.WithDbAsync(db => db.Set<DownloadEvent>().Select(e => e.UserAgent!).ToListAsync(Ct));
}
