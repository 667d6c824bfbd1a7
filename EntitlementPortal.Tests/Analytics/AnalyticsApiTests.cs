using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EntitlementPortal.Tests.Downloads;
using EntitlementPortal.Tests.Support;

namespace EntitlementPortal.Tests.Analytics;

/// <summary>The analytics routes over real HTTP: the exact JSON of the contract and 400s for bad input.</summary>
public sealed class AnalyticsApiTests : DownloadTestBase
{
    private static string[] Keys(JsonElement element) => element.EnumerateObject().Select(p => p.Name).ToArray();

    [Fact]
    public async Task Metrics_and_customer_usage_answer_with_the_contract_json_after_real_downloads()
    {
        var customer = await (await Api.PostAsJsonAsync("/api/v1/customers", new { name = "Acme" }, Ct)).ReadJsonAsync(HttpStatusCode.Created);
        var customerId = customer.GetProperty("id").GetInt32();
        var (id, token) = await CreateTokenAsync(new { name = "Metered", customerId });
        await CreateTokenAsync(new { name = "Idle" });
        await GetAsync($"/dl/{token}/{FilePath}");
        await GetAsync($"/dl/{token}/{FilePath}", method: HttpMethod.Head);
        await GetAsync($"/dl/{token}/{FilePath}");
        await EventsAsync(3);

        var metrics = await (await Api.GetAsync($"/api/v1/repos/{Repo}/metrics?from=2020-01-01T00:00:00Z", Ct)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(["tokens", "downloads", "bandwidthBytes"], Keys(metrics));
        Assert.Equal(["active", "inactive", "total"], Keys(metrics.GetProperty("tokens")));
        Assert.Equal(2, metrics.GetProperty("tokens").GetProperty("total").GetInt32());
        var downloads = metrics.GetProperty("downloads");
        Assert.Equal(["total", "average", "lowest", "highest"], Keys(downloads));
        Assert.Equal([2, 1, 0, 2], new[] { "total", "average", "lowest", "highest" }.Select(k => downloads.GetProperty(k).GetDouble()));
        Assert.Equal(2L * Content.Length, metrics.GetProperty("bandwidthBytes").GetProperty("total").GetInt64());

        var only = await (await Api.GetAsync($"/api/v1/repos/{Repo}/metrics?tokens={id}", Ct)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(2, only.GetProperty("downloads").GetProperty("lowest").GetInt64());

        var usage = await (await Api.GetAsync($"/api/v1/customers/{customerId}/usage", Ct)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(["downloads", "clients", "bandwidthBytes", "lastDownloadAt", "lastClientIp", "byDay", "topPackages", "refused"], Keys(usage));
        Assert.Equal(2, usage.GetProperty("downloads").GetInt64());
        Assert.Equal(1, usage.GetProperty("clients").GetInt32());
        Assert.Equal(["date", "downloads", "bytes"], Keys(usage.GetProperty("byDay")[0]));
        Assert.Equal(["package", "version", "downloads"], Keys(usage.GetProperty("topPackages")[0]));
        Assert.Equal(Package, usage.GetProperty("topPackages")[0].GetProperty("package").GetString());
    }

    [Fact]
    public async Task Token_usage_keeps_its_counters_and_adds_the_period_figures()
    {
        var (id, token) = await CreateTokenAsync(new { name = "Metered", limitDownloads = 2 });
        await GetAsync($"/dl/{token}/{FilePath}");
        await GetAsync($"/dl/{token}/{FilePath}");
        await GetAsync($"/dl/{token}/{FilePath}");
        await EventsAsync(3);
        await Api.PostAsync($"/api/v1/repos/{Repo}/entitlements/{id}/reset", null, Ct);

        var usage = await (await Api.GetAsync($"/api/v1/repos/{Repo}/entitlements/{id}/usage?from=2020-01-01T00:00:00Z", Ct)).ReadJsonAsync(HttpStatusCode.OK);

        Assert.Equal(["downloads", "clients", "bandwidthBytes", "lastDownloadAt", "lastClientIp", "byDay", "period"], Keys(usage));
        // The counters were reset; the period still sees what was downloaded.
        Assert.Equal(0, usage.GetProperty("downloads").GetInt64());
        var period = usage.GetProperty("period");
        Assert.Equal(["downloads", "clients", "bandwidthBytes", "lastDownloadAt", "lastClientIp", "byDay", "topPackages", "refused"], Keys(period));
        Assert.Equal(2, period.GetProperty("downloads").GetInt64());
        Assert.Equal(2L * Content.Length, period.GetProperty("bandwidthBytes").GetInt64());
        Assert.Equal(2, period.GetProperty("topPackages")[0].GetProperty("downloads").GetInt64());
        var refused = Assert.Single(period.GetProperty("refused").EnumerateArray());
        Assert.Equal(("download_limit", 1L), (refused.GetProperty("reason").GetString(), refused.GetProperty("count").GetInt64()));

        var before = await (await Api.GetAsync($"/api/v1/repos/{Repo}/entitlements/{id}/usage?to=2020-01-01T00:00:00Z", Ct)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(0, before.GetProperty("period").GetProperty("downloads").GetInt64());
        Assert.Single(before.GetProperty("byDay").EnumerateArray());
    }

    [Theory]
    [InlineData("/api/v1/repos/acme/entitlements/1/usage?from=soon", "from")]
    [InlineData("/api/v1/repos/acme/metrics?from=soon", "from")]
    [InlineData("/api/v1/repos/acme/metrics?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z", "to")]
    [InlineData("/api/v1/repos/acme/metrics?tokens=1,x", "tokens")]
    [InlineData("/api/v1/repos/acme/metrics?tokens=999", "tokens")]
    [InlineData("/api/v1/customers/1/usage?to=31/12/2026", "to")]
    public async Task Bad_periods_and_token_lists_are_400_problems_keyed_by_field(string url, string field)
    {
        var problem = await (await Api.GetAsync(url, Ct)).AssertProblemAsync(400);
        Assert.NotEmpty(problem.ErrorsFor(field));
    }

    [Fact]
    public async Task Unknown_repository_or_customer_is_404()
    {
        await (await Api.GetAsync("/api/v1/repos/nope/metrics", Ct)).AssertProblemAsync(404);
        await (await Api.GetAsync("/api/v1/customers/4242/usage", Ct)).AssertProblemAsync(404);
    }
}
