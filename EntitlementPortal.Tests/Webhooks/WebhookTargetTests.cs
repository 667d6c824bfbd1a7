using System.Net;
using System.Text;
using EntitlementPortal.Features.Webhooks;
using Microsoft.Extensions.Options;

namespace EntitlementPortal.Tests.Webhooks;

public sealed class WebhookTargetTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static WebhookTargets Targets(bool allowPrivate = false) =>
        new(new FixedOptions(new WebhookOptions { AllowPrivateTargets = allowPrivate }));

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("127.255.255.254")]
    [InlineData("0.0.0.0")]
    [InlineData("10.1.2.3")]
    [InlineData("172.16.0.1")]
    [InlineData("172.31.255.255")]
    [InlineData("192.168.1.1")]
    [InlineData("169.254.169.254")]
    [InlineData("100.64.0.1")]
    [InlineData("100.127.255.254")]
    [InlineData("192.0.0.8")]
    [InlineData("198.18.0.1")]
    [InlineData("224.0.0.1")]
    [InlineData("255.255.255.255")]
    [InlineData("::")]
    [InlineData("::1")]
    [InlineData("::ffff:127.0.0.1")]
    [InlineData("::ffff:169.254.169.254")]
    [InlineData("::127.0.0.1")]
    [InlineData("64:ff9b::7f00:1")]
    [InlineData("64:ff9b::a9fe:a9fe")]
    [InlineData("64:ff9b:1::1")]
    [InlineData("2002:7f00:1::1")]
    [InlineData("2001:0:4136:e378:8000:63bf:3fff:fdd2")]
    [InlineData("fc00::1")]
    [InlineData("fd12:3456::1")]
    [InlineData("fe80::1")]
    [InlineData("fec0::1")]
    [InlineData("ff02::1")]
    [InlineData("2001:db8::1")]
    [InlineData("100::1")]
    public void Inner_and_special_addresses_are_not_public(string address) =>
        Assert.False(WebhookAddresses.IsPublic(IPAddress.Parse(address)));

    [Theory]
    [InlineData("93.184.216.34")]
    [InlineData("8.8.8.8")]
    [InlineData("172.32.0.1")]
    [InlineData("100.128.0.1")]
    [InlineData("169.253.1.1")]
    [InlineData("2606:4700:4700::1111")]
    [InlineData("::ffff:8.8.8.8")]
    [InlineData("64:ff9b::808:808")]
    public void Public_unicast_addresses_are_public(string address) =>
        Assert.True(WebhookAddresses.IsPublic(IPAddress.Parse(address)));

    [Theory]
    [InlineData("ftp://example.com/hook")]
    [InlineData("file:///etc/passwd")]
    [InlineData("javascript:alert(1)")]
    [InlineData("gopher://127.0.0.1:6379/_FLUSHALL")]
    [InlineData("/relative/hook")]
    [InlineData("https://user:password@93.184.216.34/hook")]
    [InlineData("")]
    [InlineData("   ")]
    public async Task Urls_that_are_not_credential_free_http_are_refused(string url) =>
        Assert.NotNull(await Targets(allowPrivate: true).RefusalAsync(url, Ct));

    [Fact]
    public async Task An_overlong_url_is_refused() =>
        Assert.Contains("at most", await Targets().RefusalAsync("https://93.184.216.34/" + new string('a', 2100), Ct));

    [Theory]
    [InlineData("http://127.0.0.1/hook")]
    [InlineData("http://localhost:8080/hook")]
    [InlineData("http://[::1]/hook")]
    [InlineData("http://[::ffff:127.0.0.1]/hook")]
    [InlineData("http://[64:ff9b::a9fe:a9fe]/latest/meta-data")]
    [InlineData("http://169.254.169.254/latest/meta-data/")]
    [InlineData("http://10.0.0.5:5432/")]
    [InlineData("http://2130706433/")]
    [InlineData("http://0x7f.1/")]
    public async Task Private_loopback_and_link_local_targets_are_refused(string url)
    {
        var refusal = await Targets().RefusalAsync(url, Ct);

        Assert.NotNull(refusal);
    }

    [Fact]
    public async Task A_host_that_does_not_resolve_is_refused_even_when_private_targets_are_allowed() =>
        Assert.Contains("does not resolve", await Targets(allowPrivate: true).RefusalAsync("https://no-such-host.invalid/hook", Ct));

    [Fact]
    public async Task A_public_address_is_accepted_and_loopback_only_when_allowed()
    {
        Assert.Null(await Targets().RefusalAsync("https://93.184.216.34/hook", Ct));
        Assert.NotNull(await Targets().RefusalAsync("http://localhost/hook", Ct));
        Assert.Null(await Targets(allowPrivate: true).RefusalAsync("http://localhost/hook", Ct));
    }

    [Fact]
    public async Task At_send_time_a_name_resolving_inward_is_refused_before_any_connection()
    {
        await using var receiver = await WebhookReceiver.StartAsync(200);
        using var client = new HttpClient(new SocketsHttpHandler { ConnectCallback = Targets().ConnectAsync, UseProxy = false });
        var url = new UriBuilder(receiver.Url) { Host = "localhost" }.Uri;

        var failure = await Assert.ThrowsAsync<HttpRequestException>(() =>
            client.PostAsync(url, new ByteArrayContent(Encoding.UTF8.GetBytes("{}")), Ct));

        Assert.IsType<WebhookTargetRefusedException>(failure.InnerException);
        Assert.Equal(0, receiver.Count);
    }

    [Fact]
    public async Task At_send_time_allowed_private_targets_connect()
    {
        await using var receiver = await WebhookReceiver.StartAsync(204);
        using var client = new HttpClient(new SocketsHttpHandler { ConnectCallback = Targets(allowPrivate: true).ConnectAsync, UseProxy = false });

        using var response = await client.PostAsync(receiver.Url, new ByteArrayContent(Encoding.UTF8.GetBytes("{}")), Ct);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(1, receiver.Count);
    }

    [Fact]
    public void Retries_wait_the_first_delay_then_double()
    {
        var first = TimeSpan.FromSeconds(30);
        Assert.Equal(TimeSpan.FromSeconds(30), WebhookRules.RetryDelay(first, 1));
        Assert.Equal(TimeSpan.FromSeconds(60), WebhookRules.RetryDelay(first, 2));
        Assert.Equal(TimeSpan.FromSeconds(30 * 256), WebhookRules.RetryDelay(first, 9));
    }

    [Fact]
    public void The_signature_is_the_lowercase_hex_hmac_sha256_of_the_raw_body()
    {
        // The RFC 4231-style published vector for HMAC-SHA256("key", "The quick brown fox jumps over the lazy dog").
        var signature = WebhookPayload.Sign(Encoding.UTF8.GetBytes("The quick brown fox jumps over the lazy dog"), "key");

        Assert.Equal("sha256=f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8", signature);
    }

    [Fact]
    public void The_body_is_the_contract_envelope_and_renders_identically_every_time()
    {
        var at = new DateTime(2026, 12, 3, 10, 0, 0, DateTimeKind.Utc);
        var first = WebhookPayload.Render("d-1", "token.disabled", at, """{"token":{"id":7}}""");
        var again = WebhookPayload.Render("d-1", "token.disabled", at, """{"token":{"id":7}}""");

        Assert.Equal(first, again);
        Assert.Equal("""{"id":"d-1","event":"token.disabled","at":"2026-12-03T10:00:00Z","data":{"token":{"id":7}}}""",
            Encoding.UTF8.GetString(first));
    }

    private sealed class FixedOptions(WebhookOptions value) : IOptionsMonitor<WebhookOptions>
    {
        public WebhookOptions CurrentValue => value;

        public WebhookOptions Get(string? name) => value;

        public IDisposable? OnChange(Action<WebhookOptions, string?> listener) => null;
    }
}
