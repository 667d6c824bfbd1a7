using System.Net;
using EntitlementPortal.Data;
using EntitlementPortal.Features.Downloads;
using EntitlementPortal.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace EntitlementPortal.Tests.Downloads;

/// <summary>A flood of bad credentials from one address is a few history rows, not one row per request.</summary>
public sealed class DownloadFloodTests() : DownloadTestBase(new() { ["Downloads:FailedAttemptsPerMinute"] = "5" })
{
    [Fact]
    public async Task Three_thousand_refused_requests_from_one_address_are_a_counted_summary_per_minute()
    {
        const int requests = 3000;
        var statuses = new List<HttpStatusCode>();
        for (var wave = 0; wave < requests / 50; wave++)
        {
            var responses = await Task.WhenAll(Enumerable.Range(0, 50).Select(i => GetAsync($"/dl/not-a-token-{wave}-{i}/{FilePath}")));
            statuses.AddRange(responses.Select(r => r.StatusCode));
        }
        var limited = statuses.Count(s => s == HttpStatusCode.TooManyRequests);
        var refused = statuses.Count(s => s == HttpStatusCode.Unauthorized);
        Assert.Equal(requests, limited + refused);
        Assert.InRange(refused, 5, 60);

        var rows = await EventsAsync(requests);
        var summaries = rows.Where(e => e.Status == 429).ToList();
        Assert.Equal(refused, rows.Count(e => e.Status == 401));
        // One row per address and minute: the run may straddle a minute boundary or two.
        Assert.InRange(summaries.Count, 1, 3);
        Assert.Equal(limited, summaries.Sum(e => e.Attempts));
        Assert.All(summaries, e => Assert.Equal("rate_limited", e.Reason));
        Assert.All(rows.Where(e => e.Status != 429), e => Assert.Equal(1, e.Attempts));

        var api = await (await Api.GetAsync("/api/v1/downloads?status=429", Ct)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(limited, api.GetProperty("items").EnumerateArray().Sum(e => e.GetProperty("attempts").GetInt32()));
    }

    [Fact]
    public async Task Served_downloads_are_still_recorded_one_by_one()
    {
        var (_, token) = await CreateTokenAsync(new { name = "Acme" });
        await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => GetAsync($"/dl/{token}/{FilePath}")));

        var rows = await EventsAsync(20);

        Assert.Equal(20, rows.Count(e => e.Status == 200 && e.Attempts == 1 && e.SummaryKey == null));
    }
}

/// <summary>Two instances adding to the same flood summary at once: one row, every attempt counted.</summary>
public sealed class DownloadEventStoreTests : IDisposable
{
    private readonly TestDatabase database = new();

    [Fact]
    public async Task Two_instances_add_to_one_summary_row_without_losing_attempts()
    {
        using var first = database.BuildServices();
        using var second = database.BuildServices();
        var at = new DateTime(2026, 12, 1, 10, 30, 15, DateTimeKind.Utc);
        DownloadEvent Flooded(int second_) => new()
        {
            At = at.AddSeconds(second_ % 40), Repo = "acme", ClientIp = "203.0.113.66", Status = 429, Reason = "rate_limited", AuthMethod = AuthMethod.TokenInPath,
        };

        var stores = new[] { first, second }.Select(s => new DownloadEventStore(s.GetRequiredService<IDbContextFactory<AppDbContext>>(), s.GetRequiredService<EntitlementPortal.Features.Webhooks.DownloadRefusalWebhooks>())).ToArray();
        await Task.WhenAll(Enumerable.Range(0, 40).Select(i =>
            Task.Run(() => stores[i % 2].StoreAsync([Flooded(i), Flooded(i + 1), Flooded(i + 2)], TestContext.Current.CancellationToken))));

        await using var db = database.OpenContext();
        var rows = await db.Set<DownloadEvent>().ToListAsync(TestContext.Current.CancellationToken);
        var summary = Assert.Single(rows);
        Assert.Equal(120, summary.Attempts);
        Assert.Equal("429|2026-12-01T10:30|203.0.113.66", summary.SummaryKey);
    }

    public void Dispose() => database.Dispose();
}
