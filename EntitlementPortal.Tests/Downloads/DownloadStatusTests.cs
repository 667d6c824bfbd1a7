using EntitlementPortal.Features.Tokens;
using Microsoft.EntityFrameworkCore;
using System.Net;
using System.Net.Http.Json;
using EntitlementPortal.Tests.Support;

namespace EntitlementPortal.Tests.Downloads;

/// <summary>One test per row of the contract's status table, over real HTTP.</summary>
public sealed class DownloadStatusTests : DownloadTestBase
{
    [Fact]
    public async Task Token_in_the_url_serves_the_file_with_length_name_type_and_etag_and_counts_it()
    {
        var (id, token) = await CreateTokenAsync(new { name = "Acme" });

        var response = await GetAsync($"/dl/{token}/{FilePath}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Content, await response.Content.ReadAsByteArrayAsync(Ct));
        Assert.Equal(Content.Length, response.Content.Headers.ContentLength);
        Assert.Equal(Filename, response.Content.Headers.ContentDisposition!.FileName?.Trim('"'));
        Assert.Equal("application/gzip", response.Content.Headers.ContentType!.MediaType);
        Assert.NotNull(response.Headers.ETag);
        var usage = await TokenAsync(id);
        Assert.Equal(1, usage.GetProperty("downloads").GetInt64());
        Assert.Equal(1, usage.GetProperty("clients").GetInt32());
        Assert.Equal(Content.Length, usage.GetProperty("bandwidthBytes").GetInt64());
    }

    [Fact]
    public async Task Range_gives_206_head_and_304_do_not_count_and_a_resumed_range_is_not_a_second_download()
    {
        var (id, token) = await CreateTokenAsync(new { name = "Acme" });

        var head = await GetAsync($"/dl/{token}/{FilePath}", method: HttpMethod.Head);
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(0, (await TokenAsync(id)).GetProperty("downloads").GetInt64());

        var full = await GetAsync($"/dl/{token}/{FilePath}");
        var etag = full.Headers.ETag!;
        var notModified = await GetAsync($"/dl/{token}/{FilePath}", r => r.Headers.IfNoneMatch.Add(etag));
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);

        var range = await GetAsync($"/dl/{token}/{FilePath}", r => r.Headers.Range = new(100, 199));
        Assert.Equal(HttpStatusCode.PartialContent, range.StatusCode);
        Assert.Equal(Content[100..200], await range.Content.ReadAsByteArrayAsync(Ct));

        var usage = await TokenAsync(id);
        Assert.Equal(1, usage.GetProperty("downloads").GetInt64());
        Assert.Equal(Content.Length + 100, usage.GetProperty("bandwidthBytes").GetInt64());
    }

    [Fact]
    public async Task If_modified_since_revalidation_is_not_counted_and_a_stale_if_range_is_counted_as_the_whole_file()
    {
        var (id, token) = await CreateTokenAsync(new { name = "Acme" });
        var first = await GetAsync($"/dl/{token}/{FilePath}");
        var lastModified = first.Content.Headers.LastModified!.Value;

        var revalidated = await GetAsync($"/dl/{token}/{FilePath}", r => r.Headers.IfModifiedSince = lastModified);
        Assert.Equal(HttpStatusCode.NotModified, revalidated.StatusCode);
        var stale = await GetAsync($"/dl/{token}/{FilePath}", r =>
        {
            r.Headers.Range = new(0, 9);
            r.Headers.IfRange = new System.Net.Http.Headers.RangeConditionHeaderValue(new System.Net.Http.Headers.EntityTagHeaderValue("\"stale\""));
        });
        Assert.Equal(HttpStatusCode.OK, stale.StatusCode);
        Assert.Equal(Content.Length, (await stale.Content.ReadAsByteArrayAsync(Ct)).Length);

        var usage = await TokenAsync(id);
        Assert.Equal(2L * Content.Length, usage.GetProperty("bandwidthBytes").GetInt64());
    }

    [Fact]
    public async Task Basic_auth_with_the_token_or_with_a_staff_account_serves()
    {
        var (_, token) = await CreateTokenAsync(new { name = "Acme" });

        Assert.Equal(HttpStatusCode.OK, (await GetAsync($"/dl/basic/{FilePath}", Basic("token", token))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync($"/dl/basic/{FilePath}", Basic(ApiAppFactory.AdminEmail, ApiAppFactory.AdminPassword))).StatusCode);
    }

    [Fact]
    public async Task Public_route_serves_public_repositories_and_is_404_for_private_ones()
    {
        await (await GetAsync($"/dl/public/{FilePath}")).AssertProblemAsync(404);

        await Api.PatchJsonAsync($"/api/v1/repos/{Repo}", new { visibility = "public" });

        Assert.Equal(Content, await (await GetAsync($"/dl/public/{FilePath}")).Content.ReadAsByteArrayAsync(Ct));
    }

    [Fact]
    public async Task Missing_unknown_deleted_or_refreshed_credentials_are_401()
    {
        var noCredentials = await GetAsync($"/dl/basic/{FilePath}");
        await noCredentials.AssertProblemAsync(401);
        Assert.Contains("Basic", noCredentials.Headers.WwwAuthenticate.ToString());

        await (await GetAsync($"/dl/ent_notarealtokenatall0000000000/{FilePath}")).AssertProblemAsync(401);
        await (await GetAsync($"/dl/basic/{FilePath}", Basic("token", "unknown-token-1"))).AssertProblemAsync(401);
        await (await GetAsync($"/dl/basic/{FilePath}", Basic(ApiAppFactory.AdminEmail, "Wrong-password1!"))).AssertProblemAsync(401);

        var (deletedId, deleted) = await CreateTokenAsync(new { name = "Deleted" });
        await Api.DeleteAsync($"/api/v1/repos/{Repo}/entitlements/{deletedId}", Ct);
        await (await GetAsync($"/dl/{deleted}/{FilePath}")).AssertProblemAsync(401);

        var (refreshedId, old) = await CreateTokenAsync(new { name = "Refreshed" });
        await Api.PostAsync($"/api/v1/repos/{Repo}/entitlements/{refreshedId}/refresh", null, Ct);
        await (await GetAsync($"/dl/{old}/{FilePath}")).AssertProblemAsync(401);
    }

    [Fact]
    public async Task The_old_secret_works_during_the_grace_window()
    {
        var (id, old) = await CreateTokenAsync(new { name = "Graced" });
        await Api.PostAsJsonAsync($"/api/v1/repos/{Repo}/entitlements/{id}/refresh", new { graceSeconds = 3600 }, Ct);

        Assert.Equal(HttpStatusCode.OK, (await GetAsync($"/dl/{old}/{FilePath}")).StatusCode);
    }

    [Theory]
    [InlineData("disabled", "token_disabled")]
    [InlineData("revoked", "customer_revoked")]
    [InlineData("early", "not_yet_valid")]
    [InlineData("late", "expired")]
    [InlineData("network", "ip_not_allowed")]
    public async Task A_known_token_refused_is_403_naming_the_reason_and_counts_nothing(string case_, string reason)
    {
        var customer = await (await Api.PostAsJsonAsync("/api/v1/customers", new { name = "Acme " + case_ }, Ct)).ReadJsonAsync(HttpStatusCode.Created);
        var customerId = customer.GetProperty("id").GetInt32();
        object body = case_ switch
        {
            "early" => new { name = "t", limitDateFrom = DateTime.UtcNow.AddDays(1) },
            "late" => new { name = "t", limitDateTo = DateTime.UtcNow.AddSeconds(-1), limitDateFrom = DateTime.UtcNow.AddDays(-2) },
            "network" => new { name = "t", allowedCidrs = new[] { "203.0.113.0/24" } },
            _ => new { name = "t", customerId },
        };
        var (id, token) = await CreateTokenAsync(body);
        if (case_ == "disabled")
        {
            await Api.PostAsync($"/api/v1/repos/{Repo}/entitlements/{id}/disable", null, Ct);
        }
        if (case_ == "revoked")
        {
            await Api.PostAsync($"/api/v1/customers/{customerId}/revoke", null, Ct);
        }

        var problem = await (await GetAsync($"/dl/{token}/{FilePath}")).AssertProblemAsync(403);

        Assert.Equal(reason, problem.GetProperty("reason").GetString());
        Assert.Equal(0, (await TokenAsync(id)).GetProperty("downloads").GetInt64());
    }

    [Fact]
    public async Task Download_client_and_bandwidth_limits_are_403_once_reached()
    {
        var (_, downloads) = await CreateTokenAsync(new { name = "d", limitDownloads = 1 });
        Assert.Equal(HttpStatusCode.OK, (await GetAsync($"/dl/{downloads}/{FilePath}")).StatusCode);
        Assert.Equal("download_limit", (await (await GetAsync($"/dl/{downloads}/{FilePath}")).AssertProblemAsync(403)).GetProperty("reason").GetString());

        var (_, bandwidth) = await CreateTokenAsync(new { name = "b", limitBandwidthBytes = Content.Length + 50 });
        Assert.Equal(HttpStatusCode.OK, (await GetAsync($"/dl/{bandwidth}/{FilePath}")).StatusCode);
        Assert.Equal("bandwidth_limit", (await (await GetAsync($"/dl/{bandwidth}/{FilePath}")).AssertProblemAsync(403)).GetProperty("reason").GetString());
        Assert.Equal(HttpStatusCode.PartialContent, (await GetAsync($"/dl/{bandwidth}/{FilePath}", r => r.Headers.Range = new(0, 9))).StatusCode);
    }

    [Fact]
    public async Task Missing_files_and_files_outside_the_package_query_are_404()
    {
        var (_, scoped) = await CreateTokenAsync(new { name = "s", limitPackageQuery = "name:other-product" });
        var (_, token) = await CreateTokenAsync(new { name = "t" });

        await (await GetAsync($"/dl/{scoped}/{FilePath}")).AssertProblemAsync(404);
        await (await GetAsync($"/dl/{token}/{Repo}/{Package}/{Version}/missing.tar.gz")).AssertProblemAsync(404);
        await (await GetAsync($"/dl/{token}/{Repo}/{Package}/9.9.9/{Filename}")).AssertProblemAsync(404);
    }

    [Fact]
    public async Task A_stored_package_query_that_no_longer_parses_restricts_the_token_to_nothing()
    {
        var (id, token) = await CreateTokenAsync(new { name = "scoped", limitPackageQuery = "name:acme-agent" });
        // As if edited in the database, or written by a version with another grammar.
        await App.WithDbAsync(db => db.Set<EntitlementToken>().Where(t => t.Id == id)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.LimitPackageQuery, "name:(acme-agent"), Ct));

        var download = await (await GetAsync($"/dl/{token}/{FilePath}")).AssertProblemAsync(404);
        var index = await (await GetAsync($"/dl/{token}/{Repo}/")).ReadJsonAsync(HttpStatusCode.OK);

        Assert.Equal("not_in_query", download.GetProperty("reason").GetString());
        Assert.Equal(0, index.GetArrayLength());
        Assert.Equal(0, (await TokenAsync(id)).GetProperty("downloads").GetInt64());
    }

    [Theory]
    [InlineData("..%2F..%2F..%2Fetc%2Fpasswd")]
    [InlineData("..%5C..%5Cwindows")]
    [InlineData("%2E%2E")]
    [InlineData("acme-agent-2.1.0.tar.gz%00.txt")]
    public async Task Traversal_in_the_filename_never_reaches_a_file(string filename)
    {
        var (_, token) = await CreateTokenAsync(new { name = "t" });

        var response = await GetAsync($"/dl/{token}/{Repo}/{Package}/{Version}/{filename}");

        Assert.True(response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.BadRequest, response.StatusCode.ToString());
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            // The server refused it, so it is in the history; a 400 comes from the HTTP layer before the app.
            Assert.Contains(await EventsAsync(1), e => e.Status == 404);
        }
    }

    [Fact]
    public async Task The_index_lists_only_what_the_token_may_download_with_working_urls()
    {
        await UploadAsync(Repo, "other-product", "1.0.0", "other-1.0.0.zip", [1, 2, 3]);
        var (_, token) = await CreateTokenAsync(new { name = "s", limitPackageQuery = "name:acme-*" });

        var index = await (await GetAsync($"/dl/{token}/{Repo}/")).ReadJsonAsync(HttpStatusCode.OK);

        var entry = Assert.Single(index.EnumerateArray());
        Assert.Equal(Filename, entry.GetProperty("filename").GetString());
        Assert.Equal(Content.Length, entry.GetProperty("size").GetInt64());
        Assert.Equal(64, entry.GetProperty("sha256").GetString()!.Length);
        var url = entry.GetProperty("url").GetString()!;
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(url)).StatusCode);

        var basicIndex = await (await GetAsync($"/dl/basic/{Repo}/", Basic("token", token))).ReadJsonAsync(HttpStatusCode.OK);
        Assert.StartsWith($"/dl/basic/{Repo}/", Assert.Single(basicIndex.EnumerateArray()).GetProperty("url").GetString());
    }

    [Fact]
    public async Task Every_attempt_is_recorded_with_status_reason_and_bytes()
    {
        var (id, token) = await CreateTokenAsync(new { name = "t", limitDownloads = 1 });
        await GetAsync($"/dl/{token}/{FilePath}", r => r.Headers.UserAgent.ParseAdd("curl/8.0"));
        await GetAsync($"/dl/{token}/{FilePath}");
        await GetAsync($"/dl/unknown-token-1/{FilePath}");

        var events = await EventsAsync(3);

        Assert.Equal([200, 403, 401], events.Select(e => e.Status));
        Assert.Equal(Content.Length, events[0].Bytes);
        Assert.Equal("curl/8.0", events[0].UserAgent);
        Assert.Equal(id, events[0].TokenId);
        Assert.Equal("download_limit", events[1].Reason);
        Assert.Equal("unknown_token", events[2].Reason);
        Assert.All(events, e => Assert.Equal(Filename, e.Filename));
        Assert.All(events, e => Assert.False(string.IsNullOrEmpty(e.ClientIp)));
    }
}
