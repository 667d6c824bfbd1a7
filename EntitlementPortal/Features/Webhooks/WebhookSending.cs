using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using EntitlementPortal.Data;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace EntitlementPortal.Features.Webhooks;

/// <summary>
/// Sends the deliveries that are due. Every instance runs this; the database decides which instance sends each
/// attempt: a delivery is claimed with "UPDATE … WHERE Attempts = what I read AND no live lease", so two instances
/// can never send the same attempt, and a crashed instance's lease simply runs out.
/// </summary>
public sealed class WebhookSending(
    IDbContextFactory<AppDbContext> dbFactory,
    IHttpClientFactory httpClients,
    WebhookSecrets secrets,
    WebhookAttemptFeed feed,
    IOptionsMonitor<WebhookOptions> options,
    TimeProvider clock,
    ILogger<WebhookSending> logger)
{
    public const string HttpClientName = "webhooks";
    private const int BatchSize = 20;
    private const int ExcerptBytes = 2048;

    /// <summary>One round: claims and sends up to <see cref="BatchSize"/> due deliveries; the number attempted.</summary>
    public async Task<int> SendDueAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        List<DueDelivery> due;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            due = await db.Set<WebhookDelivery>().AsNoTracking()
                .Where(d => d.Status == WebhookDeliveryStatus.Pending && d.NextAttemptAt <= now && (d.LeaseUntil == null || d.LeaseUntil < now))
                .OrderBy(d => d.NextAttemptAt).ThenBy(d => d.CreatedAt)
                .Take(BatchSize)
                .Select(d => new DueDelivery(d.Id, d.Attempts))
                .ToListAsync(cancellationToken);
        }
        var attempted = 0;
        await Parallel.ForEachAsync(due, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken },
            async (delivery, ct) =>
            {
                if (await TrySendAsync(delivery, now, ct))
                {
                    Interlocked.Increment(ref attempted);
                }
            });
        return attempted;
    }

    private async Task<bool> TrySendAsync(DueDelivery due, DateTime now, CancellationToken cancellationToken)
    {
        var attempt = due.Attempts + 1;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var claimed = await db.Set<WebhookDelivery>()
            .Where(d => d.Id == due.Id && d.Attempts == due.Attempts && d.Status == WebhookDeliveryStatus.Pending
                && (d.LeaseUntil == null || d.LeaseUntil < now))
            .ExecuteUpdateAsync(s => s
                .SetProperty(d => d.Attempts, attempt)
                .SetProperty(d => d.LeaseUntil, now + WebhookRules.Lease)
                .SetProperty(d => d.LastAttemptAt, now), cancellationToken);
        if (claimed == 0)
        {
            return false; // another instance claimed it first, or it changed since it was read
        }
        AttemptResult result;
        try
        {
            result = await AttemptAsync(db, due.Id, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutting down mid-attempt: hand the attempt back so the next instance (or this one, restarted) makes it.
            await db.Set<WebhookDelivery>().Where(d => d.Id == due.Id && d.Attempts == attempt)
                .ExecuteUpdateAsync(s => s.SetProperty(d => d.Attempts, due.Attempts).SetProperty(d => d.LeaseUntil, (DateTime?)null),
                    CancellationToken.None);
            throw;
        }
        // Recorded even while shutting down: a graceful stop must not forget an attempt the receiver already saw.
        await RecordAsync(db, due.Id, attempt, result, CancellationToken.None);
        return true;
    }

    private async Task<AttemptResult> AttemptAsync(AppDbContext db, string id, CancellationToken cancellationToken)
    {
        var delivery = await db.Set<WebhookDelivery>().AsNoTracking().Where(d => d.Id == id)
            .Select(d => new { d.Event, d.At, d.DataJson, d.Subscription!.Url, d.Subscription.SecretCipher, d.Subscription.IsActive })
            .SingleAsync(cancellationToken);
        if (!delivery.IsActive)
        {
            return AttemptResult.Final("The subscription is disabled; enable it and send again.");
        }
        string secret;
        try
        {
            secret = secrets.Reveal(delivery.SecretCipher);
        }
        catch (CryptographicException)
        {
            return AttemptResult.Final("The subscription's secret can't be decrypted with this instance's keys; save a new secret.");
        }
        var body = WebhookPayload.Render(id, delivery.Event, delivery.At, delivery.DataJson);
        using var request = new HttpRequestMessage(HttpMethod.Post, delivery.Url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        request.Headers.Add(WebhookPayload.EventHeader, delivery.Event);
        request.Headers.Add(WebhookPayload.DeliveryHeader, id);
        request.Headers.Add(WebhookPayload.SignatureHeader, WebhookPayload.Sign(body, secret));
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(WebhookRules.Timeout);
        try
        {
            using var response = await httpClients.CreateClient(HttpClientName)
                .SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            var code = (int)response.StatusCode;
            var excerpt = await ExcerptAsync(response, timeout.Token);
            return response.IsSuccessStatusCode
                ? new AttemptResult(code, excerpt, null, Delivered: true)
                : new AttemptResult(code, excerpt, $"The receiver answered {code}.", Delivered: false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new AttemptResult(null, null, $"No answer within {WebhookRules.Timeout.TotalSeconds:0} seconds.", Delivered: false);
        }
        catch (HttpRequestException ex)
        {
            var refused = ex.InnerException as WebhookTargetRefusedException;
            return refused is not null ? AttemptResult.Final(refused.Message) : new AttemptResult(null, null, Describe(ex), Delivered: false);
        }
    }

    private async Task RecordAsync(AppDbContext db, string id, int attempt, AttemptResult result, CancellationToken cancellationToken)
    {
        var finished = clock.GetUtcNow().UtcDateTime;
        var status = result.Delivered ? WebhookDeliveryStatus.Delivered
            : result.GiveUp || attempt >= WebhookRules.MaxAttempts ? WebhookDeliveryStatus.Failed
            : WebhookDeliveryStatus.Pending;
        DateTime? next = status == WebhookDeliveryStatus.Pending
            ? finished + WebhookRules.RetryDelay(options.CurrentValue.FirstRetryDelay, attempt)
            : null;
        DateTime? deliveredAt = result.Delivered ? finished : null;
        await db.Set<WebhookDelivery>().Where(d => d.Id == id && d.Attempts == attempt)
            .ExecuteUpdateAsync(s => s
                .SetProperty(d => d.Status, status)
                .SetProperty(d => d.NextAttemptAt, next)
                .SetProperty(d => d.LeaseUntil, (DateTime?)null)
                .SetProperty(d => d.LastStatusCode, result.StatusCode)
                .SetProperty(d => d.LastResponseExcerpt, result.Excerpt)
                .SetProperty(d => d.LastError, result.Error)
                .SetProperty(d => d.DeliveredAt, deliveredAt), cancellationToken);
        if (status != WebhookDeliveryStatus.Delivered)
        {
            logger.LogWarning("Webhook delivery {Delivery} attempt {Attempt} failed: {Error}{Outcome}", id, attempt, result.Error,
                status == WebhookDeliveryStatus.Failed ? " (no more attempts)" : $" (next attempt at {next:O})");
        }
        feed.Publish(new WebhookAttemptRecorded(id, attempt, status, result.StatusCode, result.Error));
    }

    private static async Task<string?> ExcerptAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        var buffer = new byte[ExcerptBytes];
        var read = 0;
        while (read < buffer.Length && await stream.ReadAsync(buffer.AsMemory(read), cancellationToken) is var n and > 0)
        {
            read += n;
        }
        if (read == 0)
        {
            return null;
        }
        var text = new string(Encoding.UTF8.GetString(buffer, 0, read).Select(c => char.IsControl(c) && c is not '\n' ? ' ' : c).ToArray()).Trim();
        return text.Length > WebhookRules.ExcerptMaxLength ? text[..(WebhookRules.ExcerptMaxLength - 1)] + "…" : text;
    }

    private static string Describe(HttpRequestException ex)
    {
        var message = (ex.InnerException?.Message ?? ex.Message).ReplaceLineEndings(" ");
        return message.Length > 400 ? message[..400] : message;
    }

    private sealed record DueDelivery(string Id, int Attempts);

    private sealed record AttemptResult(int? StatusCode, string? Excerpt, string? Error, bool Delivered, bool GiveUp = false)
    {
        /// <summary>A failure another attempt can't fix (disabled subscription, refused target): no retry.</summary>
        public static AttemptResult Final(string error) => new(null, null, error, Delivered: false, GiveUp: true);
    }
}
