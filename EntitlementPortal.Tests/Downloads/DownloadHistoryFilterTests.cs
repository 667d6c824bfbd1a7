using System.Net;
using EntitlementPortal.Tests.Support;

namespace EntitlementPortal.Tests.Downloads;

/// <summary>Reads of <see cref="SeededHistory"/> only: no test here adds a row, so none depends on another or on their order.</summary>
public sealed class DownloadHistoryFilterTests(SeededHistory history) : IClassFixture<SeededHistory>
{
    private HttpClient Api => history.Download.Api;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("repo=acme", 5)]
    [InlineData("repo=beta", 1)]
    [InlineData("customerId=3", 3)]
    [InlineData("tokenId=7", 3)]
    [InlineData("userId=user-1", 1)]
    [InlineData("package=acme-cli", 1)]
    [InlineData("version=2.1.0", 5)]
    [InlineData("package=acme-agent&version=2.1.0", 4)]
    [InlineData("status=403", 2)]
    [InlineData("status=200", 4)]
    [InlineData("reason=download_limit", 1)]
    [InlineData("clientIp=203.0.113.5", 1)]
    [InlineData("outcome=served", 4)]
    [InlineData("outcome=refused", 2)]
    [InlineData("outcome=refused&tokenId=8", 1)]
    [InlineData("from=2026-11-21T00:00:00Z", 2)]
    [InlineData("to=2026-11-20T13:00:00Z", 2)]
    [InlineData("from=2026-11-20T12:30:00%2B00:00&to=2026-11-20T15:00:00Z", 3)]
    [InlineData("tokenId=7&status=200&clientIp=198.51.100.2", 1)]
    public async Task Each_filter_narrows_the_history_and_filters_combine_with_and(string filter, int expected)
    {
        var page = await (await Api.GetAsync($"/api/v1/downloads?{filter}&pageSize=500", Ct)).ReadJsonAsync(HttpStatusCode.OK);

        Assert.Equal(expected, page.GetProperty("total").GetInt32());
        Assert.Equal(expected, page.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task Newest_first_by_default_and_sortable_by_a_named_column()
    {
        var newest = await (await Api.GetAsync("/api/v1/downloads?pageSize=2", Ct)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("beta", newest.GetProperty("items")[0].GetProperty("repo").GetString());
        Assert.Equal(2, newest.GetProperty("items").GetArrayLength());

        var byBytes = await (await Api.GetAsync("/api/v1/downloads?sort=bytes&desc=false&repo=acme", Ct)).ReadJsonAsync(HttpStatusCode.OK);
        var bytes = byBytes.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("bytes").GetInt64()).ToList();
        Assert.Equal(bytes.Order(), bytes);
        Assert.Equal(0, bytes[0]);
    }

    [Theory]
    [InlineData("from=yesterday", "from")]
    [InlineData("to=2026-13-45", "to")]
    [InlineData("from=2026-11-22T00:00:00Z&to=2026-11-21T00:00:00Z", "to")]
    [InlineData("customerId=abc", "customerId")]
    [InlineData("tokenId=-4", "tokenId")]
    [InlineData("tokenId=99999999999", "tokenId")]
    [InlineData("status=42", "status")]
    [InlineData("status=ok", "status")]
    [InlineData("outcome=maybe", "outcome")]
    [InlineData("pageSize=100000", "pageSize")]
    [InlineData("page=0", "page")]
    [InlineData("sort=secret", "sort")]
    [InlineData("customerId=424242", "customerId")]
    [InlineData("tokenId=424242", "tokenId")]
    [InlineData("repo=no-such-repo", "repo")]
    [InlineData("userId=no-such-user", "userId")]
    public async Task Bad_filters_are_a_400_problem_keyed_by_the_field(string filter, string field)
    {
        foreach (var route in new[] { "/api/v1/downloads", "/api/v1/downloads/export" })
        {
            if (route.EndsWith("export", StringComparison.Ordinal) && field is "page" or "pageSize" or "sort")
            {
                continue;
            }
            var problem = await (await Api.GetAsync($"{route}?{filter}", Ct)).AssertProblemAsync(400);
            Assert.NotEmpty(problem.ErrorsFor(field));
        }
    }
}
