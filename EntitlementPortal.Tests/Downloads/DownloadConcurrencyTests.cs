using System.Net;
using System.Net.Sockets;
using EntitlementPortal.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;

namespace EntitlementPortal.Tests.Downloads;

/// <summary>Limits are exact under concurrency: the database decides, never a check-then-act in the app.</summary>
public sealed class DownloadConcurrencyTests : DownloadTestBase
{
    [Fact]
    public async Task Two_hundred_parallel_downloads_against_a_limit_of_fifty_serve_exactly_fifty()
    {
        var (id, token) = await CreateTokenAsync(new { name = "Burst", limitDownloads = 50 });

        var statuses = await Task.WhenAll(Enumerable.Range(0, 200).Select(_ => Task.Run(async () =>
            (await GetAsync($"/dl/{token}/{FilePath}")).StatusCode, Ct)));

        Assert.Equal(50, statuses.Count(s => s == HttpStatusCode.OK));
        Assert.Equal(150, statuses.Count(s => s == HttpStatusCode.Forbidden));
        var usage = await TokenAsync(id);
        Assert.Equal(50, usage.GetProperty("downloads").GetInt64());
        Assert.Equal(50L * Content.Length, usage.GetProperty("bandwidthBytes").GetInt64());
    }

    [Fact]
    public async Task Parallel_downloads_from_many_addresses_admit_exactly_the_client_limit()
    {
        var (id, token) = await CreateTokenAsync(new { name = "Clients", limitClients = 2 });
        var port = App.RootUri.Port;
        using (var first = FromAddress(IPAddress.Parse("127.0.0.2"), port))
        {
            Assert.Equal(HttpStatusCode.OK, (await first.GetAsync($"/dl/{token}/{FilePath}", Ct)).StatusCode);
        }

        // Each client connects from its own loopback address (127.0.0.3, .4, …): distinct clients as the server sees them.
        var statuses = await Task.WhenAll(Enumerable.Range(3, 8).Select(last => Task.Run(async () =>
        {
            using var client = FromAddress(IPAddress.Parse($"127.0.0.{last}"), port);
            return (await client.GetAsync($"/dl/{token}/{FilePath}", Ct)).StatusCode;
        }, Ct)));

        Assert.Equal(1, statuses.Count(s => s == HttpStatusCode.OK));
        Assert.Equal(7, statuses.Count(s => s == HttpStatusCode.Forbidden));
        Assert.Equal(2, (await TokenAsync(id)).GetProperty("clients").GetInt32());
        using var known = FromAddress(IPAddress.Parse("127.0.0.2"), port);
        Assert.Equal(HttpStatusCode.OK, (await known.GetAsync($"/dl/{token}/{FilePath}", Ct)).StatusCode);
    }

    private static HttpClient FromAddress(IPAddress local, int port) => new(new SocketsHttpHandler
    {
        ConnectCallback = async (context, ct) =>
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            socket.Bind(new IPEndPoint(local, 0));
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), ct);
            return new NetworkStream(socket, ownsSocket: true);
        },
    })
    { BaseAddress = new Uri($"http://localhost:{port}") };
}

public sealed class DownloadRateLimitTests : DownloadTestBase
{
    public DownloadRateLimitTests()
        : base(new() { ["Downloads:FailedAttemptsPerMinute"] = "3" }) =>
        App.TestServices.Add(services => services.Replace(ServiceDescriptor.Singleton<TimeProvider>(Clock)));

    private FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);

    [Fact]
    public async Task Too_many_failed_attempts_from_one_address_get_429_with_retry_after_even_with_a_good_token()
    {
        var (_, token) = await CreateTokenAsync(new { name = "Good" });
        for (var i = 0; i < 3; i++)
        {
            await (await GetAsync($"/dl/guess-{i}-0000000/{FilePath}")).AssertProblemAsync(401);
        }

        var blocked = await GetAsync($"/dl/{token}/{FilePath}");

        Assert.Equal("rate_limited", (await blocked.AssertProblemAsync(429)).GetProperty("reason").GetString());
        Assert.True(blocked.Headers.RetryAfter?.Delta > TimeSpan.Zero);
    }

    [Fact]
    public async Task Request_after_retry_after_is_evaluated_again_for_a_rate_limited_address()
    {
        var (_, token) = await CreateTokenAsync(new { name = "Good" });
        for (var i = 0; i < 3; i++)
        {
            Clock.Advance(TimeSpan.FromSeconds(i == 0 ? 0 : 20));
            await (await GetAsync($"/dl/guess-{i}-0000000/{FilePath}")).AssertProblemAsync(401);
        }

        // Failures at 0, 20 and 40 s: the oldest leaves the minute in 20 s, and that is the wait to announce.
        var blocked = await GetAsync($"/dl/{token}/{FilePath}");
        await blocked.AssertProblemAsync(429);
        var wait = blocked.Headers.RetryAfter!.Delta!.Value;
        Assert.Equal(TimeSpan.FromSeconds(20), wait);

        Clock.Advance(wait - TimeSpan.FromSeconds(1));
        await (await GetAsync($"/dl/{token}/{FilePath}")).AssertProblemAsync(429);
        Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(HttpStatusCode.OK, (await GetAsync($"/dl/{token}/{FilePath}")).StatusCode);
    }
}
