using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EntitlementPortal.Features.Webhooks;
using EntitlementPortal.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace EntitlementPortal.Tests.Webhooks;

/// <summary>The portal on Kestrel set up for webhook tests: receivers on loopback allowed, fast retries and polling.</summary>
public static class WebhookTestPortal
{
    public const string Secret = "receiver-shared-secret-0123";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static ApiAppFactory Create(string firstRetryDelay = "00:00:00.2", bool allowPrivateTargets = true) =>
        Configure(new ApiAppFactory(), firstRetryDelay, allowPrivateTargets);

    public static ApiAppFactory Configure(ApiAppFactory app, string firstRetryDelay = "00:00:00.2", bool allowPrivateTargets = true)
    {
        app.Settings["Webhooks:AllowPrivateTargets"] = allowPrivateTargets ? "true" : "false";
        app.Settings["Webhooks:FirstRetryDelay"] = firstRetryDelay;
        app.Settings["Webhooks:PollInterval"] = "00:00:00.05";
        return app;
    }

    public static async Task<int> SubscribeAsync(this HttpClient api, Uri url, string[] events, string? repo = null)
    {
        var response = await api.PostAsJsonAsync("/api/v1/webhooks", new { url = url.ToString(), events, secret = Secret, repo }, Ct);
        return (await response.ReadJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetInt32();
    }

    public static async Task CreateRepositoryAsync(this HttpClient api, string slug) =>
        await (await api.PostAsJsonAsync("/api/v1/repos", new { slug, name = slug }, Ct)).ReadJsonAsync(HttpStatusCode.Created);

    public static async Task<JsonElement> CreateTokenAsync(this HttpClient api, string repo, string name) =>
        await (await api.PostAsJsonAsync($"/api/v1/repos/{repo}/entitlements", new { name }, Ct)).ReadJsonAsync(HttpStatusCode.Created);

    /// <summary>Completes when an attempt matching <paramref name="match"/> is recorded; subscribe before acting.</summary>
    public static Task<WebhookAttemptRecorded> AttemptRecordedAsync(this PortalAppFactory app, Func<WebhookAttemptRecorded, bool> match) =>
        app.Services.GetRequiredService<WebhookAttemptFeed>().AttemptRecordedAsync(match);

    /// <summary>For a host not started yet: register <paramref name="feed"/> in it (TestServices) and listen before it starts.</summary>
    public static Task<WebhookAttemptRecorded> AttemptRecordedAsync(this WebhookAttemptFeed feed, Func<WebhookAttemptRecorded, bool> match)
    {
        var recorded = new TaskCompletionSource<WebhookAttemptRecorded>(TaskCreationOptions.RunContinuationsAsynchronously);
        void Listener(WebhookAttemptRecorded attempt)
        {
            if (match(attempt) && recorded.TrySetResult(attempt))
            {
                feed.Recorded -= Listener;
            }
        }
        feed.Recorded += Listener;
        return recorded.Task.WaitAsync(TimeSpan.FromSeconds(60), Ct);
    }
}
