using System.Net;
using EntitlementPortal.Tests.Support;

namespace EntitlementPortal.Tests.Downloads;

/// <summary>A download of its own goes into the history, so its own app: the filter tests count the rows they share.</summary>
public sealed class DownloadHistoryItemTests : DownloadTestBase
{
    [Fact]
    public async Task Items_name_the_token_and_customer_when_they_exist()
    {
        var (id, token) = await CreateTokenAsync(new { name = "Named token" });
        await GetAsync($"/dl/{token}/{FilePath}");
        await EventsAsync(1);

        var item = (await (await Api.GetAsync($"/api/v1/downloads?tokenId={id}", Ct)).ReadJsonAsync(HttpStatusCode.OK)).GetProperty("items")[0];

        Assert.Equal("Named token", item.GetProperty("tokenName").GetString());
        Assert.Equal(200, item.GetProperty("status").GetInt32());
    }
}
