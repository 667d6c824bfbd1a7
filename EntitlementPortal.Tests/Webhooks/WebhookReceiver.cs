using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EntitlementPortal.Tests.Webhooks;

/// <summary>A request the receiver got, exactly as sent.</summary>
public sealed record ReceivedWebhook(string? Event, string? Delivery, string? Signature, string? ContentType, byte[] Body)
{
    public JsonElement Json => JsonDocument.Parse(Body).RootElement;

    /// <summary>Checks the signature the way a vendor's receiver would, independently of the portal's code.</summary>
    public bool IsSignedWith(string secret) =>
        Signature == "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Body));
}

/// <summary>
/// A real HTTP receiver on Kestrel (loopback, free port): records every request and answers with the next scripted
/// status (the last one repeats). <see cref="Hang"/> makes it never answer, like a stuck receiver.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    public const int Hang = -1;

    private readonly WebApplication app;
    private readonly Channel<ReceivedWebhook> received = Channel.CreateUnbounded<ReceivedWebhook>();
    private readonly int[] answers;
    private int count;

    private WebhookReceiver(int[] answers)
    {
        this.answers = answers.Length == 0 ? [200] : answers;
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        app = builder.Build();
        app.MapPost("/hook/{**rest}", HandleAsync);
    }

    public Uri Url { get; private set; } = default!;

    /// <summary>Requests received so far.</summary>
    public int Count => Volatile.Read(ref count);

    public static async Task<WebhookReceiver> StartAsync(params int[] answers)
    {
        var receiver = new WebhookReceiver(answers);
        await receiver.app.StartAsync();
        var address = receiver.app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        receiver.Url = new Uri(new Uri(address), "/hook/");
        return receiver;
    }

    /// <summary>The next request, or a failed test after <paramref name="timeoutSeconds"/>.</summary>
    public async Task<ReceivedWebhook> NextAsync(int timeoutSeconds = 30)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(timeoutSeconds));
        try
        {
            return await received.Reader.ReadAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"No webhook arrived within {timeoutSeconds} s (received {Count} so far).");
        }
    }

    /// <summary>Whether a request is already waiting (without waiting for one).</summary>
    public bool TryTake(out ReceivedWebhook? webhook) => received.Reader.TryRead(out webhook);

    private async Task HandleAsync(HttpContext context)
    {
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body, context.RequestAborted);
        var headers = context.Request.Headers;
        var number = Interlocked.Increment(ref count);
        received.Writer.TryWrite(new ReceivedWebhook(headers["X-EntitlementPortal-Event"], headers["X-EntitlementPortal-Delivery"],
            headers["X-EntitlementPortal-Signature"], context.Request.ContentType, body.ToArray()));
        var answer = answers[Math.Min(number, answers.Length) - 1];
        if (answer == Hang)
        {
            // Holds the request open until the sender gives up on it (its timeout aborts the connection).
            var abandoned = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            await using (context.RequestAborted.Register(() => abandoned.TrySetResult()))
            {
                await abandoned.Task;
            }
            return;
        }
        context.Response.StatusCode = answer;
        await context.Response.WriteAsync(answer < 300 ? "thanks" : "receiver error: database down", context.RequestAborted);
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
