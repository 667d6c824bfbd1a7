using Bunit;
using EntitlementPortal.Features.Tokens;
using EntitlementPortal.Identity;
using EntitlementPortal.Tests.Downloads;

namespace EntitlementPortal.Tests.Tokens.Pages;

/// <summary>The token page says plainly when a token no longer serves, and shows its latest attempts.</summary>
public sealed class TokenStandingTests : TokenPageTest
{
    private IRenderedComponent<TokenDetailPage> RenderDetail(int id) =>
        Render<TokenDetailPage>(p => p.Add(d => d.Repo, "acme").Add(d => d.Id, id));

    [Fact]
    public async Task A_token_at_its_download_limit_reads_limit_reached_with_its_latest_attempts_and_no_actions_for_an_account_manager()
    {
        var token = await SeedAsync("Capped", restrict: t => t.LimitDownloads = 3);
        await RecordUsageAsync(token.Id, 3, 1, 300, DateTime.UtcNow.AddHours(-1), "198.51.100.1");
        await using (var db = Database.OpenContext())
        {
            await HistoryRows.AddAsync(db,
                HistoryRows.Served(DateTime.UtcNow.AddHours(-2), tokenId: token.Id),
                HistoryRows.Refused(DateTime.UtcNow.AddMinutes(-5), "download_limit", tokenId: token.Id));
        }
        SignIn("ada@example.com", Roles.AccountManager);

        var page = RenderDetail(token.Id);

        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll(".token-attempt").Count));
        Assert.Equal("Limit reached: 3 of 3 downloads", page.Find(".token-status").TextContent.Trim());
        Assert.DoesNotContain("mud-chip-color-success", page.Find(".token-status").ClassName);
        Assert.Equal(["403 download_limit", "200"], page.FindAll(".token-attempt-outcome").Select(e => e.TextContent.Trim()));
        Assert.Equal($"downloads?tokenId={token.Id}", page.Find("#token-attempts-all").GetAttribute("href"));
        Assert.Empty(page.FindAll("#edit-token, #disable-token, #reset-token-usage, #delete-token, #refresh-token"));
    }

    [Fact]
    public async Task An_expired_token_reads_expired_and_one_without_attempts_says_so()
    {
        var token = await SeedAsync("Old", restrict: t => t.LimitDateTo = DateTime.UtcNow.AddDays(-1));
        SignIn("ada@example.com", Roles.Administrator);

        var page = RenderDetail(token.Id);

        page.WaitForAssertion(() => Assert.Contains("No download attempts yet", page.Find(".token-attempts-empty").TextContent));
        Assert.StartsWith("Expired ", page.Find(".token-status").TextContent.Trim(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, null, null, "Active")]
    [InlineData(10L, null, null, "Active")]
    [InlineData(5L, null, null, "Limit reached: 5 of 5 downloads")]
    [InlineData(null, 2, null, "Client limit reached: 2 of 2 clients")]
    [InlineData(null, null, 1000L, "Bandwidth limit reached: 1 KB of 1 KB")]
    public void The_standing_names_the_limit_that_stops_the_token(long? downloads, int? clients, long? bandwidth, string expected)
    {
        var token = new TokenView(1, TokenKind.Standard, "acme", "T", null, null, null, true, false, null, null, downloads, clients, bandwidth,
            null, [], ResetPeriod.Never, null, null, 5, 2, 1000, null, null, DateTime.UtcNow, null, DateTime.UtcNow, null, "ent_…", null);

        Assert.Equal(expected, TokenDisplay.StandingOf(token, DateTime.UtcNow).Label);
    }
}
