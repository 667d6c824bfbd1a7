using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using EntitlementPortal.Tests.Support;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;

namespace EntitlementPortal.Tests.Downloads;

/// <summary>
/// Two app instances on one database, as behind a load balancer: every limit is decided by the database, so
/// requests split over both hosts are admitted exactly as if one host had served them all.
/// </summary>
public sealed class DownloadLimitsAcrossHostsTests : DownloadTestBase
{
    private PortalAppFactory other = default!;
    private int otherPort;

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        other = PortalAppFactory.SecondInstanceOf(App);
        other.UseKestrel(0);
        other.StartServer();
        otherPort = new Uri(other.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First()).Port;
    }

    public override async ValueTask DisposeAsync()
    {
        await other.DisposeAsync();
        await base.DisposeAsync();
    }

    /// <summary>A client of host 0 (the first) or 1 (the other), connecting from <paramref name="local"/>.</summary>
    private HttpClient Client(int host, string local = "127.0.0.1")
    {
        var port = host == 0 ? App.RootUri.Port : otherPort;
        return new HttpClient(new SocketsHttpHandler
        {
            ConnectCallback = async (_, ct) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                socket.Bind(new IPEndPoint(IPAddress.Parse(local), 0));
                await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), ct);
                return new NetworkStream(socket, ownsSocket: true);
            },
        })
        { BaseAddress = new Uri($"http://localhost:{port}") };
    }

    private static async Task<(HttpStatusCode Status, string? Reason)> SendAsync(HttpClient client, string path, Action<HttpRequestMessage>? configure = null, HttpMethod? method = null)
    {
        using var request = new HttpRequestMessage(method ?? HttpMethod.Get, path);
        configure?.Invoke(request);
        using var response = await client.SendAsync(request, Ct);
        var reason = response.IsSuccessStatusCode || response.StatusCode == HttpStatusCode.NotModified
            ? null
            : (await response.AssertProblemAsync((int)response.StatusCode)).GetProperty("reason").GetString();
        return (response.StatusCode, reason);
    }

    [Fact]
    public async Task Two_hundred_parallel_downloads_over_two_hosts_against_a_limit_of_fifty_serve_exactly_fifty()
    {
        var (id, token) = await CreateTokenAsync(new { name = "Burst", limitDownloads = 50 });
        using var first = Client(0);
        using var second = Client(1);

        var results = await Task.WhenAll(Enumerable.Range(0, 200).Select(i => Task.Run(() =>
            SendAsync(i % 2 == 0 ? first : second, $"/dl/{token}/{FilePath}"), Ct)));

        Assert.Equal(50, results.Count(r => r.Status == HttpStatusCode.OK));
        Assert.Equal(150, results.Count(r => r is (HttpStatusCode.Forbidden, "download_limit")));
        var usage = await TokenAsync(id);
        Assert.Equal(50, usage.GetProperty("downloads").GetInt64());
        Assert.Equal(50L * Content.Length, usage.GetProperty("bandwidthBytes").GetInt64());
        Assert.Equal(1, usage.GetProperty("clients").GetInt32());
    }

    [Fact]
    public async Task Parallel_downloads_from_many_addresses_over_two_hosts_admit_exactly_the_client_limit()
    {
        var (id, token) = await CreateTokenAsync(new { name = "Clients", limitClients = 3 });

        // Ten distinct client addresses (127.0.0.2 … .11), alternating between the hosts.
        var results = await Task.WhenAll(Enumerable.Range(2, 10).Select(last => Task.Run(async () =>
        {
            using var client = Client(last % 2, $"127.0.0.{last}");
            return (Address: last, Result: await SendAsync(client, $"/dl/{token}/{FilePath}"));
        }, Ct)));

        var admitted = results.Where(r => r.Result.Status == HttpStatusCode.OK).Select(r => r.Address).ToList();
        Assert.Equal(3, admitted.Count);
        Assert.Equal(7, results.Count(r => r.Result is (HttpStatusCode.Forbidden, "client_limit")));
        Assert.Equal(3, (await TokenAsync(id)).GetProperty("clients").GetInt32());
        // An admitted address stays known on either host; a refused one is still refused on both.
        var refused = results.First(r => r.Result.Status != HttpStatusCode.OK).Address;
        for (var host = 0; host < 2; host++)
        {
            using var known = Client(host, $"127.0.0.{admitted[0]}");
            Assert.Equal(HttpStatusCode.OK, (await SendAsync(known, $"/dl/{token}/{FilePath}")).Status);
            using var stranger = Client(host, $"127.0.0.{refused}");
            Assert.Equal((HttpStatusCode.Forbidden, "client_limit"), await SendAsync(stranger, $"/dl/{token}/{FilePath}"));
        }
        Assert.Equal(3, (await TokenAsync(id)).GetProperty("clients").GetInt32());
    }

    [Fact]
    public async Task Parallel_downloads_over_two_hosts_never_pass_the_bandwidth_limit_by_a_byte()
    {
        // Room for five whole files and half of a sixth.
        var limit = 5L * Content.Length + Content.Length / 2;
        var (id, token) = await CreateTokenAsync(new { name = "Bytes", limitBandwidthBytes = limit });
        using var first = Client(0);
        using var second = Client(1);

        var results = await Task.WhenAll(Enumerable.Range(0, 40).Select(i => Task.Run(() =>
            SendAsync(i % 2 == 0 ? first : second, $"/dl/{token}/{FilePath}"), Ct)));

        Assert.Equal(5, results.Count(r => r.Status == HttpStatusCode.OK));
        Assert.Equal(35, results.Count(r => r is (HttpStatusCode.Forbidden, "bandwidth_limit")));
        Assert.Equal(5L * Content.Length, (await TokenAsync(id)).GetProperty("bandwidthBytes").GetInt64());

        // The rest of the allowance, to the byte, as ranges on both hosts: exactly one of the two racing ranges fits.
        var half = Content.Length / 2;
        var ranges = await Task.WhenAll(new[] { first, second }.Select(client => Task.Run(() =>
            SendAsync(client, $"/dl/{token}/{FilePath}", r => r.Headers.Range = new RangeHeaderValue(0, half - 1)), Ct)));
        Assert.Single(ranges, r => r.Status == HttpStatusCode.PartialContent);
        Assert.Single(ranges, r => r is (HttpStatusCode.Forbidden, "bandwidth_limit"));
        Assert.Equal(limit, (await TokenAsync(id)).GetProperty("bandwidthBytes").GetInt64());
    }

    [Fact]
    public async Task A_range_of_a_file_counted_on_one_host_does_not_count_again_on_the_other_and_head_and_304_are_never_limited()
    {
        var (id, token) = await CreateTokenAsync(new { name = "Resume", limitDownloads = 1 });
        using var first = Client(0, "127.0.0.2");
        using var second = Client(1, "127.0.0.2");
        using var response = await first.GetAsync($"/dl/{token}/{FilePath}", Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var etag = response.Headers.ETag!;

        // The same client resumes on the other host: bytes are counted, the download is not, the limit does not apply.
        Assert.Equal(HttpStatusCode.PartialContent,
            (await SendAsync(second, $"/dl/{token}/{FilePath}", r => r.Headers.Range = new RangeHeaderValue(100, 199))).Status);
        // Another client's range, and a whole download again, would be new downloads: refused on both hosts.
        using var stranger = Client(1, "127.0.0.3");
        Assert.Equal((HttpStatusCode.Forbidden, "download_limit"),
            await SendAsync(stranger, $"/dl/{token}/{FilePath}", r => r.Headers.Range = new RangeHeaderValue(100, 199)));
        Assert.Equal((HttpStatusCode.Forbidden, "download_limit"), await SendAsync(second, $"/dl/{token}/{FilePath}"));
        Assert.Equal((HttpStatusCode.Forbidden, "download_limit"), await SendAsync(first, $"/dl/{token}/{FilePath}"));

        // HEAD and a revalidation at the limit, on both hosts and from both clients.
        foreach (var client in new[] { first, second, stranger })
        {
            Assert.Equal(HttpStatusCode.OK, (await SendAsync(client, $"/dl/{token}/{FilePath}", method: HttpMethod.Head)).Status);
            Assert.Equal(HttpStatusCode.NotModified,
                (await SendAsync(client, $"/dl/{token}/{FilePath}", r => r.Headers.IfNoneMatch.Add(etag))).Status);
        }

        var usage = await TokenAsync(id);
        Assert.Equal(1, usage.GetProperty("downloads").GetInt64());
        Assert.Equal(1, usage.GetProperty("clients").GetInt32());
        Assert.Equal(Content.Length + 100L, usage.GetProperty("bandwidthBytes").GetInt64());
    }
}
