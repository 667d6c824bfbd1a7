using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using EntitlementPortal.Features.Downloads;
using EntitlementPortal.Tests.Support;

namespace EntitlementPortal.Tests.Downloads.Offload;

/// <summary>
/// Downloads with <c>Downloads:Offload=XAccelRedirect</c> through real nginx running the shipped configuration: the
/// app decides and counts, nginx sends the bytes. Each test makes its own tokens.
/// </summary>
public sealed class OffloadThroughNginxTests(NginxOffloadApp fixture) : IClassFixture<NginxOffloadApp>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private static string Large => NginxOffloadApp.LargePath;
    private static byte[] LargeContent => NginxOffloadApp.LargeContent;
    private DownloadApp Download => fixture.Download;

    [Fact]
    public async Task A_download_through_nginx_is_the_exact_file_with_the_apps_headers_and_counts_once()
    {
        NginxProxy.Require();
        var (id, token) = await Download.CreateTokenAsync(new { name = "through nginx" });

        var response = await fixture.ThroughNginx.GetAsync($"/dl/{token}/{Large}", Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadAsByteArrayAsync(Ct);
        Assert.Equal(SHA256.HashData(LargeContent), SHA256.HashData(body));
        Assert.Equal(LargeContent.Length, response.Content.Headers.ContentLength);
        Assert.False(response.Headers.Contains("X-Accel-Redirect"));
        Assert.Equal($"\"{Convert.ToHexStringLower(SHA256.HashData(LargeContent))}\"", response.Headers.ETag?.Tag);
        Assert.Equal(NginxOffloadApp.LargeFilename, response.Content.Headers.ContentDisposition!.FileName?.Trim('"'));
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition.DispositionType);
        Assert.Equal("application/gzip", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        var direct = await Download.GetAsync($"/dl/{token}/{Large}", method: HttpMethod.Head);
        Assert.Equal(direct.Content.Headers.LastModified, response.Content.Headers.LastModified);

        var usage = await Download.TokenAsync(id);
        Assert.Equal(1, usage.GetProperty("downloads").GetInt64());
        Assert.Equal(LargeContent.Length, usage.GetProperty("bandwidthBytes").GetInt64());
        // The download and the HEAD above; only the download counts.
        var events = await EventsOfAsync(id, 2);
        var served = Assert.Single(events, e => e.Counted);
        Assert.Equal((200, (long)LargeContent.Length), (served.Status, served.Bytes));
        Assert.Equal(2, events.Count);
    }

    [Fact]
    public async Task A_range_through_nginx_is_206_with_those_bytes_and_counted_as_the_app_counts_ranges()
    {
        NginxProxy.Require();
        var (viaNginx, nginxToken) = await Download.CreateTokenAsync(new { name = "range through nginx" });
        var (direct, directToken) = await Download.CreateTokenAsync(new { name = "range from the app" });
        void Range(HttpRequestMessage request) => request.Headers.Range = new RangeHeaderValue(1000, 1_000_999);

        using var request = new HttpRequestMessage(HttpMethod.Get, $"/dl/{nginxToken}/{Large}");
        Range(request);
        var response = await fixture.ThroughNginx.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        Assert.Equal(LargeContent[1000..1_001_000], await response.Content.ReadAsByteArrayAsync(Ct));
        Assert.Equal($"bytes 1000-1000999/{LargeContent.Length}", response.Content.Headers.ContentRange!.ToString());
        // The same request answered by the app alone (headers only, offloaded) is counted the same way.
        Assert.Equal(HttpStatusCode.OK, (await Download.GetAsync($"/dl/{directToken}/{Large}", Range)).StatusCode);
        var throughNginx = await Download.TokenAsync(viaNginx);
        var fromApp = await Download.TokenAsync(direct);
        Assert.Equal(1_000_000, throughNginx.GetProperty("bandwidthBytes").GetInt64());
        Assert.Equal(fromApp.GetProperty("bandwidthBytes").GetInt64(), throughNginx.GetProperty("bandwidthBytes").GetInt64());
        Assert.Equal(fromApp.GetProperty("downloads").GetInt64(), throughNginx.GetProperty("downloads").GetInt64());
        var served = Assert.Single(await EventsOfAsync(viaNginx, 1));
        Assert.Equal((206, 1_000_000L), (served.Status, served.Bytes));
    }

    [Fact]
    public async Task A_refused_token_gets_the_apps_refusal_through_nginx_and_no_bytes()
    {
        NginxProxy.Require();
        var (disabledId, disabled) = await Download.CreateTokenAsync(new { name = "disabled" });
        (await Download.Api.PostAsync($"/api/v1/repos/{DownloadApp.Repo}/entitlements/{disabledId}/disable", null, Ct)).EnsureSuccessStatusCode();
        var (limitedId, limited) = await Download.CreateTokenAsync(new { name = "one download", limitDownloads = 1 });
        Assert.Equal(HttpStatusCode.OK, (await fixture.ThroughNginx.GetAsync($"/dl/{limited}/{Large}", Ct)).StatusCode);

        foreach (var (token, reason) in new[] { (disabled, "token_disabled"), (limited, "download_limit") })
        {
            var response = await fixture.ThroughNginx.GetAsync($"/dl/{token}/{Large}", Ct);
            Assert.False(response.Headers.Contains("X-Accel-Redirect"));
            var problem = await response.AssertProblemAsync(403);
            Assert.Equal(reason, problem.GetProperty("reason").GetString());
            Assert.True(response.Content.Headers.ContentLength < 1000, "a problem body, not the file");
        }
        Assert.Equal(0, (await Download.TokenAsync(disabledId)).GetProperty("bandwidthBytes").GetInt64());
        Assert.Equal(LargeContent.Length, (await Download.TokenAsync(limitedId)).GetProperty("bandwidthBytes").GetInt64());
    }

    [Fact]
    public async Task The_internal_location_is_404_from_outside_and_a_clients_own_x_accel_redirect_changes_nothing()
    {
        NginxProxy.Require();
        var hash = Convert.ToHexStringLower(SHA256.HashData(LargeContent));
        var blob = $"/_ep_files/sha256/{hash[..2]}/{hash[2..4]}/{hash}";

        Assert.Equal(HttpStatusCode.NotFound, (await fixture.ThroughNginx.GetAsync(blob, Ct)).StatusCode);

        var (_, token) = await Download.CreateTokenAsync(new { name = "own header" });
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/dl/{token}/{DownloadApp.FilePath}");
        request.Headers.Add("X-Accel-Redirect", blob);
        var response = await fixture.ThroughNginx.SendAsync(request, Ct);
        Assert.Equal(DownloadApp.Content, await response.Content.ReadAsByteArrayAsync(Ct));
        // A refusal carries no redirect, whatever the request asked for.
        using var unknown = new HttpRequestMessage(HttpMethod.Get, $"/dl/ent_unknown/{Large}");
        unknown.Headers.Add("X-Accel-Redirect", blob);
        var refused = await fixture.ThroughNginx.SendAsync(unknown, Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.False(refused.Headers.Contains("X-Accel-Redirect"));
        Assert.True((await refused.Content.ReadAsByteArrayAsync(Ct)).Length < 1000, "a problem body, not the file");
    }

    [Fact]
    public async Task The_app_hit_directly_answers_with_x_accel_redirect_and_no_body()
    {
        var (_, token) = await Download.CreateTokenAsync(new { name = "direct" });
        var hash = Convert.ToHexStringLower(SHA256.HashData(LargeContent));

        using var request = new HttpRequestMessage(HttpMethod.Get, $"/dl/{token}/{Large}");
        request.Headers.Add("X-Accel-Redirect", "/etc/passwd");
        var response = await Download.Anonymous.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal($"/_ep_files/sha256/{hash[..2]}/{hash[2..4]}/{hash}", response.Headers.GetValues("X-Accel-Redirect").Single());
        Assert.Equal("0", response.Headers.GetValues("X-Accel-Expires").Single());
        Assert.Empty(await response.Content.ReadAsByteArrayAsync(Ct));
        Assert.Equal(0, response.Content.Headers.ContentLength);
        Assert.Equal($"\"{hash}\"", response.Headers.ETag?.Tag);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal("application/gzip", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Requests_whose_conditions_nginx_would_judge_differently_are_sent_by_the_app_itself()
    {
        var (_, token) = await Download.CreateTokenAsync(new { name = "app sends" });
        var etag = (await Download.GetAsync($"/dl/{token}/{Large}", method: HttpMethod.Head)).Headers.ETag!;

        var ifRange = await Download.GetAsync($"/dl/{token}/{Large}", r =>
        {
            r.Headers.Range = new RangeHeaderValue(0, 99);
            r.Headers.IfRange = new RangeConditionHeaderValue(etag);
        });
        Assert.False(ifRange.Headers.Contains("X-Accel-Redirect"));
        Assert.Equal("no", ifRange.Headers.GetValues("X-Accel-Buffering").Single());
        Assert.Equal(LargeContent[..100], await ifRange.Content.ReadAsByteArrayAsync(Ct));

        var severalRanges = await Download.GetAsync($"/dl/{token}/{Large}", r => r.Headers.TryAddWithoutValidation("Range", "bytes=0-1,5-9"));
        Assert.False(severalRanges.Headers.Contains("X-Accel-Redirect"));
        Assert.Equal(LargeContent.Length, (await severalRanges.Content.ReadAsByteArrayAsync(Ct)).Length);
    }

    /// <summary>The token's events, once the history writer has stored <paramref name="count"/> of them (or gone quiet).</summary>
    private async Task<List<DownloadEvent>> EventsOfAsync(int tokenId, int count)
    {
        var wanted = 1;
        while (true)
        {
            var events = await Download.EventsAsync(wanted);
            var mine = events.Where(e => e.TokenId == tokenId).ToList();
            var total = events.Sum(e => e.Attempts);
            if (mine.Count >= count || total < wanted)
            {
                return mine;
            }
            wanted = total + 1;
        }
    }
}
