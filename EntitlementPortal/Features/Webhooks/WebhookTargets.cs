using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace EntitlementPortal.Features.Webhooks;

/// <summary>Refused before a connection was made: the target resolves to an address webhooks may not reach.</summary>
public sealed class WebhookTargetRefusedException(string message) : Exception(message);

/// <summary>
/// The one decision about where a webhook may go, made twice with the same rule: when a subscription is saved
/// (so the admin hears about it) and at every connection (so a name that later resolves inward — DNS rebinding —
/// still can't reach the inside). The connection is made to the very address that was checked.
/// </summary>
public sealed class WebhookTargets(IOptionsMonitor<WebhookOptions> options)
{
    private static readonly TimeSpan ResolveTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Why this URL can't be a webhook target, or null when it can. Resolves host names.</summary>
    public async Task<string?> RefusalAsync(string url, CancellationToken cancellationToken)
    {
        if (ShapeRefusal(url) is { } shape)
        {
            return shape;
        }
        var uri = new Uri(url);
        IPAddress[] addresses;
        try
        {
            addresses = await ResolveAsync(uri.IdnHost, cancellationToken);
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return $"The host '{uri.Host}' does not resolve.";
        }
        if (addresses.Length == 0)
        {
            return $"The host '{uri.Host}' does not resolve.";
        }
        if (!options.CurrentValue.AllowPrivateTargets && addresses.FirstOrDefault(a => !WebhookAddresses.IsPublic(a)) is { } inner)
        {
            return $"The URL points to a private, loopback or link-local address ({inner}); webhooks go to public addresses only.";
        }
        return null;
    }

    /// <summary>The checks that need no network: an absolute http(s) URL without credentials in it.</summary>
    public static string? ShapeRefusal(string? url)
    {
        if (string.IsNullOrWhiteSpace(url))
        {
            return "URL is required.";
        }
        if (url.Length > WebhookRules.UrlMaxLength)
        {
            return $"URL must be at most {WebhookRules.UrlMaxLength} characters.";
        }
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            return "URL must be an absolute http:// or https:// address.";
        }
        if (uri.UserInfo.Length > 0)
        {
            return "URL must not contain a user name or password; the signature authenticates deliveries.";
        }
        if (uri.Host.Length == 0)
        {
            return "URL must name a host.";
        }
        return null;
    }

    /// <summary>The HTTP handler's connect step: resolve, keep the allowed addresses, connect to one of them.</summary>
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var endpoint = context.DnsEndPoint;
        var addresses = await ResolveAsync(endpoint.Host, cancellationToken);
        var allowed = options.CurrentValue.AllowPrivateTargets ? addresses : addresses.Where(WebhookAddresses.IsPublic).ToArray();
        if (allowed.Length == 0)
        {
            throw new WebhookTargetRefusedException(addresses.Length == 0
                ? $"The host '{endpoint.Host}' does not resolve."
                : $"The host '{endpoint.Host}' resolves to a private, loopback or link-local address; webhooks go to public addresses only.");
        }
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(allowed, endpoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static async Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken)
    {
        if (IPAddress.TryParse(host.Trim('[', ']'), out var literal))
        {
            return [literal];
        }
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ResolveTimeout);
        return await Dns.GetHostAddressesAsync(host, timeout.Token);
    }
}
