using System.Net;
using System.Net.Http.Json;
using System.Text;
using EntitlementPortal.Features.Audit;
using EntitlementPortal.Identity;
using EntitlementPortal.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace EntitlementPortal.Tests.Webhooks;

public sealed class WebhookApiTests(ApiAppFactory app) : IClassFixture<ApiAppFactory>
{
    private const string PublicTarget = "https://93.184.216.34/hooks/portal";
    private readonly HttpClient api = app.CreateApiClient();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private Task<HttpResponseMessage> PostRawAsync(string json) =>
        api.PostAsync("/api/v1/webhooks", new StringContent(json, Encoding.UTF8, "application/json"), Ct);

    [Fact]
    public async Task A_subscription_round_trips_and_its_secret_is_never_returned()
    {
        const string secret = "top-secret-signing-key-1";
        var response = await api.PostAsJsonAsync("/api/v1/webhooks",
            new { url = PublicTarget, events = new[] { "token.disabled", "token.created" }, secret }, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        var created = await response.ReadJsonAsync(HttpStatusCode.Created);
        var id = created.GetProperty("id").GetInt32();

        Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
        Assert.False(created.TryGetProperty("secret", out _));
        Assert.Equal($"/api/v1/webhooks/{id}", response.Headers.Location?.OriginalString);
        Assert.Equal(["token.created", "token.disabled"], created.GetProperty("events").EnumerateArray().Select(e => e.GetString()));
        Assert.True(created.GetProperty("isActive").GetBoolean());

        var fetched = await api.GetStringAsync($"/api/v1/webhooks/{id}", Ct);
        var listed = await api.GetStringAsync("/api/v1/webhooks?pageSize=500", Ct);
        Assert.DoesNotContain(secret, fetched + listed, StringComparison.Ordinal);
        Assert.Contains($"\"id\":{id}", listed, StringComparison.Ordinal);
        var audit = await app.WithDbAsync(db => db.Set<AuditEntry>().Where(e => e.EntityType == AuditEntityTypes.Webhook).Select(e => e.Summary).ToListAsync(Ct));
        Assert.NotEmpty(audit);
        Assert.DoesNotContain(audit, s => s.Contains(secret, StringComparison.Ordinal));
        var stored = await app.WithDbAsync(db => db.Set<EntitlementPortal.Features.Webhooks.WebhookSubscription>().SingleAsync(s => s.Id == id, Ct));
        Assert.DoesNotContain(secret, stored.SecretCipher, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Patch_changes_only_the_fields_sent_and_delete_removes_the_subscription()
    {
        var id = (await (await api.PostAsJsonAsync("/api/v1/webhooks",
            new { url = PublicTarget, events = new[] { "package.created" }, secret = "patch-secret-0123456" }, Ct)).ReadJsonAsync(HttpStatusCode.Created))
            .GetProperty("id").GetInt32();

        var patched = await (await api.PatchJsonAsync($"/api/v1/webhooks/{id}", new { isActive = false })).ReadJsonAsync(HttpStatusCode.OK);

        Assert.False(patched.GetProperty("isActive").GetBoolean());
        Assert.Equal(PublicTarget, patched.GetProperty("url").GetString());
        Assert.Equal(["package.created"], patched.GetProperty("events").EnumerateArray().Select(e => e.GetString()));

        Assert.Equal(HttpStatusCode.NoContent, (await api.DeleteAsync($"/api/v1/webhooks/{id}", Ct)).StatusCode);
        await (await api.GetAsync($"/api/v1/webhooks/{id}", Ct)).AssertProblemAsync(404);
        await (await api.GetAsync($"/api/v1/webhooks/{id}/deliveries", Ct)).AssertProblemAsync(404);
        await (await api.PostAsync($"/api/v1/webhooks/{id}/test", null, Ct)).AssertProblemAsync(404);
    }

    [Theory]
    [InlineData("""{"url":"ftp://example.com/x","events":["token.created"],"secret":"0123456789abcdef"}""", "url")]
    [InlineData("""{"url":"https://user:pw@93.184.216.34/x","events":["token.created"],"secret":"0123456789abcdef"}""", "url")]
    [InlineData("""{"url":"http://127.0.0.1:5432/","events":["token.created"],"secret":"0123456789abcdef"}""", "url")]
    [InlineData("""{"url":"http://localhost/hook","events":["token.created"],"secret":"0123456789abcdef"}""", "url")]
    [InlineData("""{"url":"http://169.254.169.254/latest/meta-data/","events":["token.created"],"secret":"0123456789abcdef"}""", "url")]
    [InlineData("""{"url":"http://[::ffff:10.0.0.1]/","events":["token.created"],"secret":"0123456789abcdef"}""", "url")]
    [InlineData("""{"url":"https://no-such-host.invalid/x","events":["token.created"],"secret":"0123456789abcdef"}""", "url")]
    [InlineData("""{"url":"https://93.184.216.34/x","events":["token.exploded"],"secret":"0123456789abcdef"}""", "events[0]")]
    [InlineData("""{"url":"https://93.184.216.34/x","events":["webhook.test"],"secret":"0123456789abcdef"}""", "events[0]")]
    [InlineData("""{"url":"https://93.184.216.34/x","events":[],"secret":"0123456789abcdef"}""", "events")]
    [InlineData("""{"url":"https://93.184.216.34/x","events":["token.created"]}""", "secret")]
    [InlineData("""{"url":"https://93.184.216.34/x","events":["token.created"],"secret":"short"}""", "secret")]
    [InlineData("""{"url":"https://93.184.216.34/x","events":["token.created"],"secret":"0123456789abcdef","repo":"no-such-repo"}""", "repo")]
    public async Task Bad_subscriptions_are_400_keyed_by_field_and_nothing_is_stored(string body, string field)
    {
        var before = await app.WithDbAsync(db => db.Set<EntitlementPortal.Features.Webhooks.WebhookSubscription>().CountAsync(Ct));

        var problem = await (await PostRawAsync(body)).AssertProblemAsync(400);

        Assert.NotEmpty(problem.ErrorsFor(field));
        Assert.Equal(before, await app.WithDbAsync(db => db.Set<EntitlementPortal.Features.Webhooks.WebhookSubscription>().CountAsync(Ct)));
    }

    [Fact]
    public async Task An_unknown_field_is_400_rather_than_ignored() =>
        await (await PostRawAsync("""{"url":"https://93.184.216.34/x","events":["token.created"],"secret":"0123456789abcdef","evnets":[]}"""))
            .AssertProblemAsync(400);

    [Fact]
    public async Task A_bad_change_leaves_the_stored_subscription_as_it_was()
    {
        var id = (await (await api.PostAsJsonAsync("/api/v1/webhooks",
            new { url = PublicTarget, events = new[] { "token.deleted" }, secret = "keep-me-0123456789" }, Ct)).ReadJsonAsync(HttpStatusCode.Created))
            .GetProperty("id").GetInt32();

        await (await api.PatchJsonAsync($"/api/v1/webhooks/{id}", new { url = "http://10.0.0.1/" })).AssertProblemAsync(400);

        var fetched = await (await api.GetAsync($"/api/v1/webhooks/{id}", Ct)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(PublicTarget, fetched.GetProperty("url").GetString());
    }

    [Theory]
    [InlineData(Roles.TokenManager)]
    [InlineData(Roles.AccountManager)]
    public async Task Only_administrators_manage_webhooks(string role)
    {
        using var other = app.CreateApiClient(await app.CreateUserWithKeyAsync($"{role.ToLowerInvariant()}-{Guid.NewGuid():N}@example.com", role));

        await (await other.GetAsync("/api/v1/webhooks", Ct)).AssertProblemAsync(403);
        await (await other.PostAsJsonAsync("/api/v1/webhooks",
            new { url = PublicTarget, events = new[] { "token.created" }, secret = "0123456789abcdef" }, Ct)).AssertProblemAsync(403);
    }

    [Fact]
    public async Task Without_an_api_key_the_webhook_routes_are_401()
    {
        using var anonymous = app.CreateApiClient(apiKey: null);

        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/v1/webhooks", Ct)).StatusCode);
    }
}
