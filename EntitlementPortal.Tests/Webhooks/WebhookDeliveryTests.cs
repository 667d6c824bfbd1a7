using System.Net;
using System.Net.Http.Json;
using EntitlementPortal.Features.Webhooks;
using EntitlementPortal.Tests.Support;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace EntitlementPortal.Tests.Webhooks;

/// <summary>Deliveries to a real HTTP receiver: signed, retried, once per attempt, surviving a restart.</summary>
public sealed class WebhookDeliveryTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_token_change_reaches_the_receiver_signed_with_the_contract_headers_and_no_secret()
    {
        await using var receiver = await WebhookReceiver.StartAsync(200);
        await using var app = WebhookTestPortal.Create();
        using var api = app.CreateApiClient();
        await api.CreateRepositoryAsync("signed");
        await api.SubscribeAsync(receiver.Url, ["token.disabled"]);
        var token = await api.CreateTokenAsync("signed", "Acme");
        var id = token.GetProperty("id").GetInt32();
        var secret = token.GetProperty("token").GetString()!;

        await (await api.PostAsync($"/api/v1/repos/signed/entitlements/{id}/disable", null, Ct)).ReadJsonAsync(HttpStatusCode.OK);
        var received = await receiver.NextAsync();

        Assert.Equal("token.disabled", received.Event);
        Assert.True(received.IsSignedWith(WebhookTestPortal.Secret));
        Assert.False(received.IsSignedWith(WebhookTestPortal.Secret + "x"));
        Assert.StartsWith("application/json", received.ContentType);
        var body = received.Json;
        Assert.Equal(received.Delivery, body.GetProperty("id").GetString());
        Assert.Equal("token.disabled", body.GetProperty("event").GetString());
        Assert.True(body.TryGetProperty("at", out _));
        var data = body.GetProperty("data").GetProperty("token");
        Assert.Equal(id, data.GetProperty("id").GetInt32());
        Assert.Equal("signed", data.GetProperty("repo").GetString());
        Assert.False(data.GetProperty("isActive").GetBoolean());
        var raw = System.Text.Encoding.UTF8.GetString(received.Body);
        Assert.DoesNotContain(secret, raw, StringComparison.Ordinal);
        Assert.DoesNotContain(WebhookTestPortal.Secret, raw, StringComparison.Ordinal);
        // token.created was not subscribed: the only delivery was the disable.
        Assert.Equal(1, await app.WithDbAsync(db => db.Set<WebhookDelivery>().CountAsync(Ct)));
    }

    [Fact]
    public async Task A_receiver_that_fails_once_gets_the_same_delivery_again_and_it_is_marked_delivered()
    {
        await using var receiver = await WebhookReceiver.StartAsync(500, 200);
        await using var app = WebhookTestPortal.Create(firstRetryDelay: "00:00:00.2");
        using var api = app.CreateApiClient();
        var subscription = await api.SubscribeAsync(receiver.Url, ["customer.revoked"]);
        var customer = await (await api.PostAsJsonAsync("/api/v1/customers", new { name = "Lapsed Ltd" }, Ct)).ReadJsonAsync(HttpStatusCode.Created);
        var delivered = app.AttemptRecordedAsync(a => a.Status == WebhookDeliveryStatus.Delivered);

        await (await api.PostAsync($"/api/v1/customers/{customer.GetProperty("id").GetInt32()}/revoke", null, Ct)).ReadJsonAsync(HttpStatusCode.OK);
        var first = await receiver.NextAsync();
        var second = await receiver.NextAsync();
        var outcome = await delivered;

        Assert.Equal("customer.revoked", first.Event);
        Assert.Equal(first.Delivery, second.Delivery);
        Assert.Equal(first.Body, second.Body);
        Assert.True(second.IsSignedWith(WebhookTestPortal.Secret));
        Assert.Equal(2, outcome.Attempt);
        var list = await (await api.GetAsync($"/api/v1/webhooks/{subscription}/deliveries", Ct)).ReadJsonAsync(HttpStatusCode.OK);
        var row = Assert.Single(list.GetProperty("items").EnumerateArray());
        Assert.Equal("delivered", row.GetProperty("status").GetString());
        Assert.Equal(2, row.GetProperty("attempts").GetInt32());
        Assert.Equal(200, row.GetProperty("responseStatus").GetInt32());
        Assert.Equal("thanks", row.GetProperty("responseExcerpt").GetString());
    }

    [Fact]
    public async Task A_receiver_that_always_fails_gets_ten_attempts_then_the_delivery_is_failed()
    {
        await using var receiver = await WebhookReceiver.StartAsync(500);
        await using var app = WebhookTestPortal.Create(firstRetryDelay: "00:00:00.001");
        using var api = app.CreateApiClient();
        var subscription = await api.SubscribeAsync(receiver.Url, ["customer.revoked"]);
        var failed = app.AttemptRecordedAsync(a => a.Status == WebhookDeliveryStatus.Failed);

        await (await api.PostAsync($"/api/v1/webhooks/{subscription}/test", null, Ct)).ReadJsonAsync(HttpStatusCode.Accepted);
        var outcome = await failed;

        Assert.Equal(WebhookRules.MaxAttempts, outcome.Attempt);
        Assert.Equal(WebhookRules.MaxAttempts, receiver.Count);
        var row = await app.WithDbAsync(db => db.Set<WebhookDelivery>().AsNoTracking().SingleAsync(Ct));
        Assert.Equal(WebhookDeliveryStatus.Failed, row.Status);
        Assert.Null(row.NextAttemptAt);
        Assert.Equal(500, row.LastStatusCode);
        Assert.Contains("database down", row.LastResponseExcerpt);
    }

    [Fact]
    public async Task A_receiver_that_never_answers_times_out_and_is_retried_later()
    {
        await using var receiver = await WebhookReceiver.StartAsync(WebhookReceiver.Hang, 200);
        await using var app = WebhookTestPortal.Create(firstRetryDelay: "00:00:00.1");
        using var api = app.CreateApiClient();
        var subscription = await api.SubscribeAsync(receiver.Url, ["package.created"]);
        var timedOut = app.AttemptRecordedAsync(a => a.Attempt == 1);
        var delivered = app.AttemptRecordedAsync(a => a.Status == WebhookDeliveryStatus.Delivered);

        await (await api.PostAsync($"/api/v1/webhooks/{subscription}/test", null, Ct)).ReadJsonAsync(HttpStatusCode.Accepted);

        var first = await timedOut;
        Assert.Equal(WebhookDeliveryStatus.Pending, first.Status);
        Assert.Contains("No answer within 10 seconds", first.Error);
        Assert.Equal(2, (await delivered).Attempt);
    }

    [Fact]
    public async Task A_pending_retry_survives_a_restart_and_a_delivered_event_is_never_sent_again()
    {
        await using var receiver = await WebhookReceiver.StartAsync(500, 200, 200);
        // The retry is due in an hour, so the first instance can't make it before it stops; the restarted instance's
        // clock is two hours on, so it is due there at once.
        var first = WebhookTestPortal.Create(firstRetryDelay: "01:00:00");
        try
        {
            int subscription;
            using (var api = first.CreateApiClient())
            {
                subscription = await api.SubscribeAsync(receiver.Url, ["customer.revoked"]);
                var recorded = first.AttemptRecordedAsync(a => a.Attempt == 1);
                await (await api.PostAsync($"/api/v1/webhooks/{subscription}/test", null, Ct)).ReadJsonAsync(HttpStatusCode.Accepted);
                Assert.Equal(WebhookDeliveryStatus.Pending, (await recorded).Status);
            }
            var failedAttempt = await receiver.NextAsync();
            await first.StopServerAndHostAsync();

            await using var restarted = PortalAppFactory.SecondInstanceOf(first);
            var later = new FakeTimeProvider(DateTimeOffset.UtcNow.AddHours(2));
            restarted.TestServices.Add(services => services.AddSingleton<TimeProvider>(later));
            // The retry is due the moment the restarted host starts: listen before it does.
            var feed = new WebhookAttemptFeed();
            restarted.TestServices.Add(services => services.AddSingleton(feed));
            var delivered = feed.AttemptRecordedAsync(a => a.Status == WebhookDeliveryStatus.Delivered);
            _ = restarted.Services; // starts the host, and with it the dispatcher
            var retry = await receiver.NextAsync();
            Assert.Equal(failedAttempt.Delivery, retry.Delivery);
            Assert.Equal(2, (await delivered).Attempt);

            // A new event on the restarted instance: delivered once, and the earlier delivery is not sent again.
            var next = restarted.AttemptRecordedAsync(a => a.DeliveryId != retry.Delivery && a.Status == WebhookDeliveryStatus.Delivered);
            await using var scope = restarted.Services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<WebhookDeliveries>()
                .SendTestAsync(EntitlementPortal.Features.Shared.Actor.System, subscription, Ct);
            var nextOutcome = await next;
            Assert.Equal(1, nextOutcome.Attempt);
            Assert.Equal(3, receiver.Count);
            var attempts = await restarted.WithDbAsync(db => db.Set<WebhookDelivery>().Where(d => d.Id == retry.Delivery).Select(d => d.Attempts).SingleAsync(Ct));
            Assert.Equal(2, attempts);
        }
        finally
        {
            await first.DisposeAsync();
        }
    }

    [Fact]
    public async Task Two_instances_on_one_database_send_each_delivery_exactly_once()
    {
        await using var receiver = await WebhookReceiver.StartAsync(200);
        await using var first = WebhookTestPortal.Create();
        using var api = first.CreateApiClient();
        var subscription = await api.SubscribeAsync(receiver.Url, ["token.created"]);
        await api.CreateRepositoryAsync("pair");
        await using var second = PortalAppFactory.SecondInstanceOf(first);
        _ = second.Services;

        const int events = 30;
        for (var i = 0; i < events; i++)
        {
            await api.CreateTokenAsync("pair", $"Customer {i}");
        }
        var ids = new List<string>();
        for (var i = 0; i < events; i++)
        {
            ids.Add((await receiver.NextAsync()).Delivery!);
        }

        Assert.Equal(events, ids.Distinct().Count());
        var stored = await first.WithDbAsync(db => db.Set<WebhookDelivery>().Where(d => d.SubscriptionId == subscription).Select(d => d.Attempts).ToListAsync(Ct));
        Assert.Equal(events, stored.Count);
        Assert.All(stored, attempts => Assert.Equal(1, attempts));
        Assert.Equal(events, receiver.Count);
    }

    [Fact]
    public async Task A_repository_filter_keeps_other_repositories_events_away()
    {
        await using var receiver = await WebhookReceiver.StartAsync(200);
        await using var app = WebhookTestPortal.Create();
        using var api = app.CreateApiClient();
        await api.CreateRepositoryAsync("mine");
        await api.CreateRepositoryAsync("theirs");
        await api.SubscribeAsync(receiver.Url, ["token.created"], repo: "mine");

        await api.CreateTokenAsync("theirs", "Not for me");
        await api.CreateTokenAsync("mine", "For me");
        var received = await receiver.NextAsync();

        Assert.Equal("For me", received.Json.GetProperty("data").GetProperty("token").GetProperty("name").GetString());
        Assert.Equal(1, await app.WithDbAsync(db => db.Set<WebhookDelivery>().CountAsync(Ct)));
    }

    [Fact]
    public async Task Send_again_queues_the_same_event_under_a_new_delivery_id()
    {
        await using var receiver = await WebhookReceiver.StartAsync(200);
        await using var app = WebhookTestPortal.Create();
        using var api = app.CreateApiClient();
        var subscription = await api.SubscribeAsync(receiver.Url, ["token.created"]);
        var test = await (await api.PostAsync($"/api/v1/webhooks/{subscription}/test", null, Ct)).ReadJsonAsync(HttpStatusCode.Accepted);
        var original = await receiver.NextAsync();
        Assert.Equal("webhook.test", original.Event);
        Assert.Equal(test.GetProperty("id").GetString(), original.Delivery);

        var again = await (await api.PostAsync($"/api/v1/webhooks/{subscription}/deliveries/{original.Delivery}/resend", null, Ct))
            .ReadJsonAsync(HttpStatusCode.Accepted);
        var resent = await receiver.NextAsync();

        Assert.Equal(original.Delivery, again.GetProperty("resentFromId").GetString());
        Assert.NotEqual(original.Delivery, resent.Delivery);
        Assert.Equal(original.Json.GetProperty("data").GetRawText(), resent.Json.GetProperty("data").GetRawText());
        Assert.True(resent.IsSignedWith(WebhookTestPortal.Secret));
        await (await api.PostAsync($"/api/v1/webhooks/{subscription}/deliveries/not-a-delivery/resend", null, Ct)).AssertProblemAsync(404);
    }

    [Fact]
    public async Task At_send_time_a_private_target_is_refused_when_private_targets_are_not_allowed()
    {
        await using var receiver = await WebhookReceiver.StartAsync(200);
        await using var app = WebhookTestPortal.Create(allowPrivateTargets: false);
        // Stored before the rule applied (an older release, or a setting turned off since): the send-time check still holds.
        var subscription = await app.WithDbAsync(async db =>
        {
            var row = new WebhookSubscription
            {
                Url = receiver.Url.ToString(),
                Events = "token.created",
                SecretCipher = app.Services.GetRequiredService<WebhookSecrets>().Protect(WebhookTestPortal.Secret),
            };
            db.Add(row);
            await db.SaveChangesAsync(Ct);
            return row.Id;
        });
        using var api = app.CreateApiClient();
        var failed = app.AttemptRecordedAsync(a => a.Status == WebhookDeliveryStatus.Failed);

        await (await api.PostAsync($"/api/v1/webhooks/{subscription}/test", null, Ct)).ReadJsonAsync(HttpStatusCode.Accepted);
        var outcome = await failed;

        Assert.Equal(1, outcome.Attempt);
        Assert.Contains("private", outcome.Error);
        Assert.Equal(0, receiver.Count);
    }
}
