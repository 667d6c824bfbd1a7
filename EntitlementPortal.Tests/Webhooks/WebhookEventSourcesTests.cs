using System.Net;
using System.Net.Http.Json;
using EntitlementPortal.Features.Webhooks;
using EntitlementPortal.Tests.Downloads;
using EntitlementPortal.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace EntitlementPortal.Tests.Webhooks;

/// <summary>The events that no single request raises: limits reached, refusals, expiry warnings.</summary>
public sealed class WebhookEventSourcesTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Task<Dictionary<string, int>> DeliveriesByEventAsync(PortalAppFactory app) =>
        app.WithDbAsync(db => db.Set<WebhookDelivery>().GroupBy(d => d.Event).Select(g => new { g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.Key, g => g.Count, Ct));

    [Fact]
    public async Task A_limit_is_reported_once_when_first_hit_and_again_only_after_a_reset_and_refusals_of_known_tokens_each()
    {
        await using var receiver = await WebhookReceiver.StartAsync(200);
        var downloads = new DownloadApp();
        WebhookTestPortal.Configure(downloads.App);
        await downloads.InitializeAsync();
        try
        {
            var api = downloads.Api;
            await api.SubscribeAsync(receiver.Url, ["token.limit_reached"]);
            await api.SubscribeAsync(new Uri(receiver.Url, "refusals"), ["download.refused"]);
            var (id, token) = await downloads.CreateTokenAsync(new { name = "One shot", limitDownloads = 1 });
            var path = $"/dl/{token}/{DownloadApp.FilePath}";

            Assert.Equal(HttpStatusCode.OK, (await downloads.GetAsync(path)).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await downloads.GetAsync(path)).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await downloads.GetAsync(path)).StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await downloads.GetAsync($"/dl/not-a-token/{DownloadApp.FilePath}")).StatusCode);
            await downloads.EventsAsync(4);

            Assert.Equal(new Dictionary<string, int> { ["token.limit_reached"] = 1, ["download.refused"] = 2 }, await DeliveriesByEventAsync(downloads.App));

            await (await api.PostAsync($"/api/v1/repos/{DownloadApp.Repo}/entitlements/{id}/reset", null, Ct)).ReadJsonAsync(HttpStatusCode.OK);
            Assert.Equal(HttpStatusCode.OK, (await downloads.GetAsync(path)).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await downloads.GetAsync(path)).StatusCode);
            await downloads.EventsAsync(6);

            Assert.Equal(new Dictionary<string, int> { ["token.limit_reached"] = 2, ["download.refused"] = 3 }, await DeliveriesByEventAsync(downloads.App));
            var reported = new List<ReceivedWebhook>();
            for (var i = 0; i < 5; i++)
            {
                reported.Add(await receiver.NextAsync());
            }
            var limit = reported.First(r => r.Event == "token.limit_reached").Json.GetProperty("data");
            Assert.Equal("downloads", limit.GetProperty("limit").GetString());
            Assert.Equal(id, limit.GetProperty("token").GetProperty("id").GetInt32());
            var refusal = reported.First(r => r.Event == "download.refused").Json.GetProperty("data").GetProperty("download");
            Assert.Equal("download_limit", refusal.GetProperty("reason").GetString());
            Assert.Equal(403, refusal.GetProperty("status").GetInt32());
            Assert.DoesNotContain(token, string.Concat(reported.Select(r => System.Text.Encoding.UTF8.GetString(r.Body))), StringComparison.Ordinal);
        }
        finally
        {
            await downloads.DisposeAsync();
        }
    }

    [Fact]
    public async Task Expiry_warnings_are_raised_once_per_threshold_by_whichever_of_two_instances_gets_there_first()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 3, 9, 0, 0, TimeSpan.Zero));
        await using var first = WebhookTestPortal.Create();
        first.TestServices.Add(services => services.AddSingleton<TimeProvider>(clock));
        using var api = first.CreateApiClient();
        await api.CreateRepositoryAsync("expiring");
        await api.SubscribeAsync(new Uri("https://93.184.216.34/hooks/expiry"), ["token.expiring", "customer.subscription_expiring"]);
        var customer = await (await api.PostAsJsonAsync("/api/v1/customers",
            new { name = "Renewal due", subscriptionEndsAt = clock.GetUtcNow().AddDays(20).UtcDateTime }, Ct)).ReadJsonAsync(HttpStatusCode.Created);
        await (await api.PostAsJsonAsync("/api/v1/repos/expiring/entitlements",
            new { name = "Ends soon", limitDateTo = clock.GetUtcNow().AddDays(1.5).UtcDateTime }, Ct)).ReadJsonAsync(HttpStatusCode.Created);
        await (await api.PostAsJsonAsync("/api/v1/repos/expiring/entitlements",
            new { name = "Ends later", limitDateTo = clock.GetUtcNow().AddDays(40).UtcDateTime }, Ct)).ReadJsonAsync(HttpStatusCode.Created);
        await using var second = PortalAppFactory.SecondInstanceOf(first);
        second.TestServices.Add(services => services.AddSingleton<TimeProvider>(clock));

        async Task RoundOnBothAsync()
        {
            await using var one = first.Services.CreateAsyncScope();
            await using var two = second.Services.CreateAsyncScope();
            await Task.WhenAll(
                one.ServiceProvider.GetRequiredService<ExpiryWarnings>().RaiseDueAsync(Ct),
                two.ServiceProvider.GetRequiredService<ExpiryWarnings>().RaiseDueAsync(Ct));
        }

        await RoundOnBothAsync();
        await RoundOnBothAsync();
        var warned = await first.WithDbAsync(db => db.Set<WebhookDelivery>().OrderBy(d => d.Event).Select(d => new { d.Event, d.DataJson }).ToListAsync(Ct));
        Assert.Equal(["customer.subscription_expiring", "token.expiring"], warned.Select(w => w.Event));
        Assert.Contains("\"daysBefore\":30", warned[0].DataJson);
        Assert.Contains($"\"id\":{customer.GetProperty("id").GetInt32()}", warned[0].DataJson);
        Assert.Contains("\"daysBefore\":7", warned[1].DataJson);
        Assert.Contains("Ends soon", warned[1].DataJson);

        // 0.6 days on (a short step: every scheduler's timer fires for each minute of it): the token is within a day
        // of its end (the 1-day warning), the customer still 19.4 days away (no new warning).
        clock.Advance(TimeSpan.FromDays(0.6));
        await RoundOnBothAsync();
        await RoundOnBothAsync();
        var tokenWarnings = await first.WithDbAsync(db => db.Set<WebhookDelivery>().Where(d => d.Event == "token.expiring")
            .OrderBy(d => d.CreatedAt).Select(d => d.DataJson).ToListAsync(Ct));
        Assert.Equal(2, tokenWarnings.Count);
        Assert.Contains("\"daysBefore\":1", tokenWarnings[1]);
        Assert.Equal(1, await first.WithDbAsync(db => db.Set<WebhookDelivery>().CountAsync(d => d.Event == "customer.subscription_expiring", Ct)));
    }
}
