using Bunit;
using EntitlementPortal.Data;
using EntitlementPortal.Features.Downloads;
using EntitlementPortal.Features.Tokens;
using EntitlementPortal.Identity;
using EntitlementPortal.Tests.Downloads;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace EntitlementPortal.Tests.Tokens.Pages;

/// <summary>The token page while it stays open: the fake clock fires its refresh timer, no waiting on real time.</summary>
public sealed class TokenDetailLiveUsageTests : TokenPageTest
{
    private readonly FakeTimeProvider clock;

    public TokenDetailLiveUsageTests() : this(new FakeTimeProvider(new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.Zero)))
    {
    }

    private TokenDetailLiveUsageTests(FakeTimeProvider clock) : base(clock: clock) => this.clock = clock;

    /// <summary>A download as the endpoint leaves it: the token's counters and the stored event (with its daily rollup).</summary>
    private async Task DownloadHappenedAsync(int tokenId, long downloads)
    {
        await RecordUsageAsync(tokenId, downloads, 1, downloads * 100, clock.GetUtcNow().UtcDateTime, "203.0.113.9");
        var store = new DownloadEventStore(Services.GetRequiredService<IDbContextFactory<AppDbContext>>(), Services.GetRequiredService<EntitlementPortal.Features.Webhooks.DownloadRefusalWebhooks>());
        await store.StoreAsync([HistoryRows.Served(clock.GetUtcNow().UtcDateTime, tokenId, clientIp: "203.0.113.9")], Ct);
    }

    private IRenderedComponent<TokenDetailPage> RenderOpen(TokenView token)
    {
        SignIn("ada@example.com", Roles.Administrator);
        var page = Render<TokenDetailPage>(p => p.Add(d => d.Repo, "acme").Add(d => d.Id, token.Id));
        page.WaitForAssertion(() => Assert.Equal("0 of 10", Text(page, "#token-downloads")));
        page.WaitForElement(".token-attempts-empty");
        return page;
    }

    [Fact]
    public async Task Usage_and_latest_attempts_refresh_every_ten_seconds_while_the_page_is_open()
    {
        var token = await SeedAsync("Acme CI", restrict: t => t.LimitDownloads = 10);
        RenderDialogHost();
        var page = RenderOpen(token);

        await DownloadHappenedAsync(token.Id, downloads: 3);
        clock.Advance(TokenDetailPage.RefreshEvery - TimeSpan.FromSeconds(1));
        Assert.Equal("0 of 10", Text(page, "#token-downloads"));

        clock.Advance(TimeSpan.FromSeconds(1));
        page.WaitForAssertion(() => Assert.Equal("3 of 10", Text(page, "#token-downloads")));
        page.WaitForAssertion(() => Assert.Single(page.FindAll(".token-attempt")));
        Assert.Equal("2026-11-30 12:00 UTC from 203.0.113.9", Text(page, "#token-last-download"));

        await DownloadHappenedAsync(token.Id, downloads: 10);
        clock.Advance(TokenDetailPage.RefreshEvery);
        page.WaitForAssertion(() => Assert.StartsWith("Limit reached", Text(page, ".token-status"), StringComparison.Ordinal));
        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll(".token-attempt").Count));
    }

    [Fact]
    public async Task Usage_over_time_refreshes_with_the_latest_attempts()
    {
        var token = await SeedAsync("Acme CI", restrict: t => t.LimitDownloads = 10);
        RenderDialogHost();
        var page = RenderOpen(token);
        page.WaitForElement("#token-usage #usage-empty");

        await DownloadHappenedAsync(token.Id, downloads: 1);
        clock.Advance(TokenDetailPage.RefreshEvery);

        page.WaitForAssertion(() => Assert.Equal("1", Text(page, "#token-usage #usage-downloads")));
        Assert.Equal("2026-11-30 12:00 UTC from 203.0.113.9", Text(page, "#token-usage #usage-last"));
        Assert.Single(page.FindAll(".token-attempt"));
    }

    [Fact]
    public async Task A_refresh_never_touches_what_is_being_typed_in_the_edit_dialog()
    {
        var token = await SeedAsync("Acme CI", restrict: t => t.LimitDownloads = 10);
        var dialogs = RenderDialogHost();
        var page = RenderOpen(token);
        page.Find("#edit-token").Click();
        dialogs.WaitForElement("#token-name");
        dialogs.Find("#token-name").Input("Acme CI renamed");

        await DownloadHappenedAsync(token.Id, downloads: 4);
        clock.Advance(TokenDetailPage.RefreshEvery);

        Assert.Equal("Acme CI renamed", dialogs.Find("#token-name").GetAttribute("value"));
        Assert.Equal("0 of 10", Text(page, "#token-downloads"));

        // Once the dialog is closed, the next tick shows the new usage.
        dialogs.Find("#cancel-token").Click();
        dialogs.WaitForAssertion(() => Assert.Empty(dialogs.FindAll("#token-name")));
        clock.Advance(TokenDetailPage.RefreshEvery);
        page.WaitForAssertion(() => Assert.Equal("4 of 10", Text(page, "#token-downloads")));
        Assert.Equal("Acme CI", Text(page, "#token-title"));
    }
}
