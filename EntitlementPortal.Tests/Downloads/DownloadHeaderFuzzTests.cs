using System.Net;
using System.Net.Http.Headers;
using EntitlementPortal.Features.Tokens;
using Microsoft.EntityFrameworkCore;

namespace EntitlementPortal.Tests.Downloads;

/// <summary>
/// Random combinations of conditional and range headers (valid, invalid, past, future, several values, odd
/// units), over real HTTP, against limited tokens: every response that carries file bytes was counted for
/// exactly those bytes, and no counter ever passes its limit. The seed is fixed so a failure replays.
/// </summary>
public sealed class DownloadHeaderFuzzTests() : DownloadTestBase(new()
{
    ["ReverseProxy:TrustedProxies:0"] = "127.0.0.1",
    ["ReverseProxy:TrustedProxies:1"] = "::1",
    // The fuzz sends many Basic requests; failed credentials are not what it tests.
    ["Downloads:FailedAttemptsPerMinute"] = "100000",
})
{
    private const int Requests = 300;
    private static readonly string[] Addresses = ["", "203.0.113.1", "203.0.113.2", "198.51.100.7", "2001:db8::5"];

    private string etag = "";
    private DateTimeOffset lastModified;

    [Fact]
    public async Task A_used_up_token_never_gets_file_bytes_for_any_header_combination()
    {
        var (id, token) = await CreateTokenAsync(new { name = "used up", limitDownloads = 1, limitClients = 1, limitBandwidthBytes = Content.Length });
        await LearnValidatorsAsync(token);
        var before = await UsageAsync(id);
        Assert.Equal((1, 1, Content.Length), before);

        var random = new Random(20261201);
        for (var i = 0; i < Requests; i++)
        {
            var (request, description) = RandomRequest(random, token);
            using var response = await Anonymous.SendAsync(request, Ct);
            var body = await response.Content.ReadAsByteArrayAsync(Ct);
            var carriesFile = response.StatusCode is HttpStatusCode.OK or HttpStatusCode.PartialContent && body.Length > 0;
            Assert.False(carriesFile, $"{description} got {(int)response.StatusCode} with {body.Length} bytes from a used-up token");
            Assert.Equal(before, await UsageAsync(id));
        }
    }

    /// <summary>The combinations a review found that got a whole file past every limit, counting nothing.</summary>
    [Theory]
    [InlineData("future If-Modified-Since", "If-Modified-Since", "{future}", null, null)]
    [InlineData("If-None-Match + old If-Modified-Since", "If-None-Match", "{etag}", "If-Modified-Since", "Mon, 01 Jan 1990 00:00:00 GMT")]
    [InlineData("If-Match * + If-None-Match *", "If-Match", "*", "If-None-Match", "*")]
    [InlineData("If-Match + If-None-Match", "If-Match", "{etag}", "If-None-Match", "{etag}")]
    [InlineData("If-Unmodified-Since 1 h ago + If-None-Match *", "If-Unmodified-Since", "{hourAgo}", "If-None-Match", "*")]
    public async Task Known_header_tricks_get_no_bytes_from_a_used_up_token(string trick, string first, string firstValue, string? second, string? secondValue)
    {
        var (id, token) = await CreateTokenAsync(new { name = "used up", limitDownloads = 1, limitClients = 1, limitBandwidthBytes = 10_000 });
        await LearnValidatorsAsync(token);
        string Fill(string value) => value.Replace("{etag}", etag).Replace("{future}", Http(DateTimeOffset.UtcNow.AddDays(1)))
            .Replace("{hourAgo}", Http(DateTimeOffset.UtcNow.AddHours(-1)));

        foreach (var basic in new[] { false, true })
        {
            foreach (var address in new[] { "", "198.51.100.77" })
            {
                var request = new HttpRequestMessage(HttpMethod.Get, basic ? $"/dl/basic/{FilePath}" : $"/dl/{token}/{FilePath}");
                if (basic)
                {
                    Basic("token", token)(request);
                }
                if (address.Length > 0)
                {
                    request.Headers.TryAddWithoutValidation("X-Forwarded-For", address);
                }
                request.Headers.TryAddWithoutValidation(first, Fill(firstValue));
                if (second is not null)
                {
                    request.Headers.TryAddWithoutValidation(second, Fill(secondValue!));
                }
                using var response = await Anonymous.SendAsync(request, Ct);
                var body = await response.Content.ReadAsByteArrayAsync(Ct);
                Assert.False(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.PartialContent,
                    $"{trick} (basic: {basic}, from '{address}') got {(int)response.StatusCode} with {body.Length} bytes");
            }
        }
        Assert.Equal((1, 1, Content.Length), await UsageAsync(id));
    }

    [Fact]
    public async Task Every_response_with_file_bytes_is_counted_for_exactly_those_bytes()
    {
        var (id, token) = await CreateTokenAsync(new { name = "metered", limitDownloads = 1_000_000, limitClients = 1000, limitBandwidthBytes = 1_000_000_000_000L });
        await LearnValidatorsAsync(token);

        var random = new Random(1207);
        for (var i = 0; i < Requests; i++)
        {
            var (request, description) = RandomRequest(random, token);
            var isHead = request.Method == HttpMethod.Head;
            var before = await UsageAsync(id);
            using var response = await Anonymous.SendAsync(request, Ct);
            var body = await response.Content.ReadAsByteArrayAsync(Ct);
            var after = await UsageAsync(id);
            var what = $"{description} → {(int)response.StatusCode}, {body.Length} bytes, usage {before} → {after}";

            Assert.True(after.Bandwidth - before.Bandwidth == (isHead ? 0 : FileBytes(response, body)), what);
            switch (response.StatusCode)
            {
                case HttpStatusCode.OK when !isHead:
                    Assert.Equal(Content, body);
                    Assert.True(after.Downloads == before.Downloads + 1, what);
                    break;
                case HttpStatusCode.PartialContent:
                    var range = response.Content.Headers.ContentRange!;
                    Assert.Equal(Content[(int)range.From!.Value..((int)range.To!.Value + 1)], body);
                    Assert.True(after.Downloads - before.Downloads is 0 or 1, what);
                    break;
                default:
                    Assert.True(after.Downloads == before.Downloads, what);
                    Assert.True(isHead || response.StatusCode is HttpStatusCode.NotModified or HttpStatusCode.PreconditionFailed
                        or HttpStatusCode.RequestedRangeNotSatisfiable, what);
                    break;
            }
        }
    }

    [Fact]
    public async Task A_tight_token_serves_at_most_its_limits_whatever_the_headers()
    {
        const int maxDownloads = 3;
        const int maxClients = 2;
        var maxBytes = Content.Length * 2 + 500;
        var (id, token) = await CreateTokenAsync(new { name = "tight", limitDownloads = maxDownloads, limitClients = maxClients, limitBandwidthBytes = maxBytes });
        await LearnValidatorsAsync(token);
        await ResetUsageAsync(id);

        var random = new Random(42);
        long fileBytes = 0;
        var wholeFiles = 0;
        for (var i = 0; i < Requests; i++)
        {
            var (request, _) = RandomRequest(random, token);
            var isHead = request.Method == HttpMethod.Head;
            using var response = await Anonymous.SendAsync(request, Ct);
            var body = await response.Content.ReadAsByteArrayAsync(Ct);
            if (!isHead)
            {
                fileBytes += FileBytes(response, body);
                wholeFiles += response.StatusCode == HttpStatusCode.OK ? 1 : 0;
            }
        }

        var usage = await UsageAsync(id);
        Assert.InRange(usage.Downloads, wholeFiles, maxDownloads);
        Assert.InRange(usage.Clients, 0, maxClients);
        Assert.Equal(fileBytes, usage.Bandwidth);
        Assert.InRange(usage.Bandwidth, 0, maxBytes);
    }

    private static long FileBytes(HttpResponseMessage response, byte[] body) =>
        response.StatusCode is HttpStatusCode.OK or HttpStatusCode.PartialContent ? body.Length : 0;

    /// <summary>One plain download: the file's validators, which the fuzz then sends back (and varies).</summary>
    private async Task LearnValidatorsAsync(string token)
    {
        var first = await GetAsync($"/dl/{token}/{FilePath}");
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        etag = first.Headers.ETag!.Tag;
        lastModified = first.Content.Headers.LastModified!.Value;
    }

    private async Task ResetUsageAsync(int id) =>
        Assert.Equal(HttpStatusCode.OK, (await Api.PostAsync($"/api/v1/repos/{Repo}/entitlements/{id}/reset", null, Ct)).StatusCode);

    private Task<(long Downloads, int Clients, long Bandwidth)> UsageAsync(int id) =>
        App.WithDbAsync(db => db.Set<EntitlementToken>().AsNoTracking().Where(t => t.Id == id)
            .Select(t => new ValueTuple<long, int, long>(t.Downloads, t.Clients, t.BandwidthBytes)).SingleAsync(Ct));

    private (HttpRequestMessage Request, string Description) RandomRequest(Random random, string token)
    {
        var basic = random.Next(2) == 0;
        var method = random.Next(7) == 0 ? HttpMethod.Head : HttpMethod.Get;
        var request = new HttpRequestMessage(method, basic ? $"/dl/basic/{FilePath}" : $"/dl/{token}/{FilePath}");
        var description = new List<string> { method.Method, basic ? "basic" : "path" };
        if (basic)
        {
            Basic("token", token)(request);
        }
        var address = Pick(random, Addresses);
        if (address.Length > 0)
        {
            request.Headers.TryAddWithoutValidation("X-Forwarded-For", address);
            description.Add("from " + address);
        }

        string[] tags = ["*", etag, "W/" + etag, "\"other\"", "garbage", $"\"other\", {etag}", "*, \"x\"", $"{etag}, W/\"other\""];
        string[] dates =
        [
            Http(lastModified), Http(lastModified.AddSeconds(-1)), Http(lastModified.AddSeconds(1)), Http(DateTimeOffset.UtcNow.AddHours(-1)),
            Http(DateTimeOffset.UtcNow.AddDays(1)), "Mon, 01 Jan 1990 00:00:00 GMT", "Fri, 31 Dec 2099 23:59:59 GMT", "yesterday", "",
        ];
        string[] ranges =
        [
            "bytes=0-99", "bytes=9000-", "bytes=-10", "bytes=0-", "bytes=100-50", "bytes=20000-", "bytes=0-1,5-6", "items=0-1",
            "bytes=-0", "bytes=abc", "bytes=0-99999999", "BYTES=10-19", "bytes=9999-9999", "bytes= 5-6", "bytes=-20000",
        ];
        string[] ifRanges = [etag, "W/" + etag, "\"stale\"", Http(lastModified), Http(lastModified.AddSeconds(-5)), Http(DateTimeOffset.UtcNow.AddDays(2)), "garbage"];

        MaybeAdd(random, request, description, "If-Match", tags);
        MaybeAdd(random, request, description, "If-None-Match", tags);
        MaybeAdd(random, request, description, "If-Modified-Since", dates);
        MaybeAdd(random, request, description, "If-Unmodified-Since", dates);
        MaybeAdd(random, request, description, "If-Range", ifRanges);
        MaybeAdd(random, request, description, "Range", ranges, chance: 2);
        return (request, string.Join(" | ", description));
    }

    /// <summary>Adds the header with the given chance (1 in <paramref name="chance"/>), sometimes twice.</summary>
    private static void MaybeAdd(Random random, HttpRequestMessage request, List<string> description, string name, string[] values, int chance = 3)
    {
        if (random.Next(chance) != 0)
        {
            return;
        }
        var count = random.Next(6) == 0 ? 2 : 1;
        for (var i = 0; i < count; i++)
        {
            var value = Pick(random, values);
            request.Headers.TryAddWithoutValidation(name, value);
            description.Add($"{name}: {value}");
        }
    }

    private static T Pick<T>(Random random, T[] items) => items[random.Next(items.Length)];

    private static string Http(DateTimeOffset date) => date.ToUniversalTime().ToString("r", System.Globalization.CultureInfo.InvariantCulture);
}
