using System.Net;
using EntitlementPortal.Features.Downloads;
using EntitlementPortal.Identity;
using Microsoft.EntityFrameworkCore;
using EntitlementPortal.Tests.Support;

namespace EntitlementPortal.Tests.Downloads;

public sealed class DownloadHistoryApiTests : DownloadTestBase
{
    [Fact]
    public async Task The_history_lists_attempts_with_contract_fields_and_filters_and_usage_counts_them_per_day()
    {
        var (id, token) = await CreateTokenAsync(new { name = "History" });
        await GetAsync($"/dl/{token}/{FilePath}");
        await GetAsync($"/dl/{token}/{FilePath}");
        await GetAsync($"/dl/{token}/{Repo}/{Package}/{Version}/missing.zip");
        await EventsAsync(3);

        var all = await (await Api.GetAsync($"/api/v1/downloads?tokenId={id}", Ct)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(3, all.GetProperty("total").GetInt32());
        var newest = all.GetProperty("items")[0];
        foreach (var field in new[] { "id", "at", "repo", "package", "version", "filename", "tokenId", "customerId", "userId", "authMethod", "clientIp", "userAgent", "status", "bytes", "reason" })
        {
            Assert.True(newest.TryGetProperty(field, out _), $"missing {field}");
        }
        Assert.Equal(404, newest.GetProperty("status").GetInt32());

        var served = await (await Api.GetAsync($"/api/v1/downloads?tokenId={id}&status=200", Ct)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(2, served.GetProperty("total").GetInt32());

        var usage = await (await Api.GetAsync($"/api/v1/repos/{Repo}/entitlements/{id}/usage", Ct)).ReadJsonAsync(HttpStatusCode.OK);
        var today = Assert.Single(usage.GetProperty("byDay").EnumerateArray());
        Assert.Equal(2, today.GetProperty("downloads").GetInt64());
        Assert.Equal(2L * Content.Length, today.GetProperty("bytes").GetInt64());
        Assert.Equal(DateTime.UtcNow.ToString("yyyy-MM-dd"), today.GetProperty("date").GetString());
    }

    [Fact]
    public async Task Members_without_a_staff_role_cannot_read_the_history()
    {
        var key = await App.CreateUserWithKeyAsync("member@example.com");
        await (await App.CreateApiClient(key).GetAsync("/api/v1/downloads", Ct)).AssertProblemAsync(403);
        var manager = await App.CreateUserWithKeyAsync("am@example.com", Roles.AccountManager);
        Assert.Equal(HttpStatusCode.OK, (await App.CreateApiClient(manager).GetAsync("/api/v1/downloads", Ct)).StatusCode);
    }

    [Fact]
    public async Task Daily_usage_comes_from_the_rollup_and_survives_deleting_old_events()
    {
        var (id, token) = await CreateTokenAsync(new { name = "Rolled up" });
        await GetAsync($"/dl/{token}/{FilePath}");
        await GetAsync($"/dl/{token}/{FilePath}", method: HttpMethod.Head);
        await GetAsync($"/dl/{token}/{FilePath}", r => r.Headers.Range = new System.Net.Http.Headers.RangeHeaderValue(0, 99));
        await EventsAsync(3);

        // What a retention job would do: the events go, the per-day totals stay.
        await App.WithDbAsync(db => db.Set<DownloadEvent>().ExecuteDeleteAsync(Ct));
        var usage = await (await Api.GetAsync($"/api/v1/repos/{Repo}/entitlements/{id}/usage", Ct)).ReadJsonAsync(HttpStatusCode.OK);

        var today = Assert.Single(usage.GetProperty("byDay").EnumerateArray());
        // The range request is of a file already counted for this client: bytes, but no second download.
        Assert.Equal(1, today.GetProperty("downloads").GetInt64());
        Assert.Equal(Content.Length + 100L, today.GetProperty("bytes").GetInt64());
        var rollup = await App.WithDbAsync(db => db.Set<TokenDailyUsage>().SingleAsync(u => u.TokenId == id, Ct));
        Assert.Equal(DateTime.UtcNow.Date, rollup.Day);
    }
}
