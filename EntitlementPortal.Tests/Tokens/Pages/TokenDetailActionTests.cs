using Bunit;
using EntitlementPortal.Features.Tokens;
using EntitlementPortal.Identity;
using EntitlementPortal.Tests.Support;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace EntitlementPortal.Tests.Tokens.Pages;

/// <summary>What may be done from the token page: by whom, and what each action shows and stores.</summary>
public sealed class TokenDetailActionTests : TokenPageTest
{
    [Fact]
    public async Task An_account_manager_sees_the_mask_but_no_reveal_copy_or_actions()
    {
        await SeedPackageAsync("acme", "acme-agent", "2.1.0", "", "acme-agent-2.1.0.tar.gz");
        var token = await SeedAsync("Acme CI");
        SignIn("am@example.com", Roles.AccountManager);
        RenderDialogHost();

        var page = RenderDetail(token.Id);

        page.WaitForAssertion(() => Assert.Equal("Acme CI", Text(page, "#token-title")));
        Assert.Equal(token.SecretHint, Text(page, "#token-secret-value"));
        Assert.DoesNotContain(token.Token!, page.Markup);
        page.WaitForAssertion(() => Assert.StartsWith("curl --fail-with-body -L -u 'token:<token>' -o acme-agent-2.1.0.tar.gz", Text(page, "#snippet-curl")));
        Assert.Empty(page.FindAll("#token-reveal"));
        Assert.Empty(page.FindAll("#token-copy"));
        foreach (var action in new[] { "#edit-token", "#disable-token", "#refresh-token", "#reset-token-usage", "#delete-token" })
        {
            Assert.Empty(page.FindAll(action));
        }
    }

    [Fact]
    public async Task A_revoked_customers_token_says_so_and_offers_no_enable()
    {
        var token = await SeedAsync("Acme CI", customerId: CustomerId);
        await Services.GetRequiredService<EntitlementPortal.Features.Customers.CustomerService>()
            .RevokeAsync(TestDatabase.Administrator, CustomerId, Ct);
        SignIn("ada@example.com", Roles.Administrator);
        var dialogs = RenderDialogHost();

        var page = RenderDetail(token.Id);

        page.WaitForAssertion(() => Assert.Equal("Customer revoked", Text(page, ".token-status")));
        Assert.Empty(page.FindAll("#enable-token"));
        Assert.Empty(page.FindAll("#disable-token"));
        Assert.Contains("Acme Corp is revoked", Text(page, "#token-customer-revoked"));
        Assert.Equal($"customers/{CustomerId}", page.Find("#token-customer-revoked a").GetAttribute("href"));

        // Editing cannot switch it on either: the switch is off and locked while the customer is revoked.
        page.Find("#edit-token").Click();
        dialogs.WaitForElement("#token-active");
        Assert.True(dialogs.Find("#token-active").HasAttribute("disabled"));
        Assert.Null(dialogs.Find("#token-active").GetAttribute("checked"));
    }

    [Fact]
    public async Task Disabling_and_enabling_shows_and_stores_the_new_status()
    {
        var token = await SeedAsync("Acme CI");
        SignIn("ada@example.com", Roles.TokenManager);
        RenderDialogHost();
        var page = RenderDetail(token.Id);

        page.WaitForElement("#disable-token").Click();

        page.WaitForAssertion(() => Assert.Equal("Disabled", Text(page, ".token-status")));
        Assert.False((await TokenQueries.GetAsync(TestDatabase.Administrator, "acme", token.Id, Ct)).IsActive);

        page.Find("#enable-token").Click();

        page.WaitForAssertion(() => Assert.Equal("Active", Text(page, ".token-status")));
        Assert.True((await TokenQueries.GetAsync(TestDatabase.Administrator, "acme", token.Id, Ct)).IsActive);
    }

    [Fact]
    public async Task Refreshing_with_a_grace_period_shows_the_new_secret_and_until_when_the_old_one_works()
    {
        var token = await SeedAsync("Acme CI");
        SignIn("ada@example.com", Roles.Administrator);
        var dialogs = RenderDialogHost();
        var page = RenderDetail(token.Id);
        page.WaitForElement("#refresh-token").Click();
        dialogs.WaitForElement("#token-grace").Input("2");
        Assert.Equal("hours", dialogs.Find("#token-grace-unit").GetAttribute("value"));

        dialogs.Find("#token-refresh-confirm").Click();

        page.WaitForAssertion(() => Assert.Contains("The old secret works until", Text(page, "#token-notice")));
        var stored = await TokenQueries.GetAsync(TestDatabase.Administrator, "acme", token.Id, Ct);
        Assert.NotEqual(token.Token, stored.Token);
        Assert.Equal(stored.Token, Text(page, "#token-secret-value"));
        Assert.Equal(TokenDisplay.Utc(stored.RefreshedAt) + " by ada@example.com", Text(page, "#token-refreshed"));
        var history = await TokenQueries.GetHistoryAsync(TestDatabase.Administrator, "acme", token.Id, Ct);
        Assert.Equal(TimeSpan.FromHours(2), history.PreviousSecretValidUntil - stored.RefreshedAt);
        Assert.Equal($"works until {TokenDisplay.Utc(history.PreviousSecretValidUntil)}", Text(page, "#token-previous-secret"));
    }

    [Fact]
    public async Task A_grace_period_longer_than_thirty_days_cannot_be_confirmed()
    {
        var token = await SeedAsync("Acme CI");
        SignIn("ada@example.com", Roles.Administrator);
        var dialogs = RenderDialogHost();
        var page = RenderDetail(token.Id);
        page.WaitForElement("#refresh-token").Click();

        dialogs.WaitForElement("#token-grace").Input("721");

        dialogs.WaitForAssertion(() => Assert.True(dialogs.Find("#token-refresh-confirm").HasAttribute("disabled")));
        Assert.Equal("The grace period can be at most 30 days (720 hours).", FieldError(dialogs, "#token-grace"));
        dialogs.Find("#token-refresh-cancel").Click();
        dialogs.WaitForAssertion(() => Assert.Empty(dialogs.FindAll("#token-grace")));
        Assert.Equal(token.Token, (await TokenQueries.GetAsync(TestDatabase.Administrator, "acme", token.Id, Ct)).Token);
    }

    [Fact]
    public async Task Resetting_usage_asks_first()
    {
        var token = await SeedAsync("Acme CI");
        await RecordUsageAsync(token.Id, 7, 2, 1_500_000, new DateTime(2026, 3, 1, 9, 15, 0, DateTimeKind.Utc), "203.0.113.9");
        SignIn("ada@example.com", Roles.Administrator);
        var dialogs = RenderDialogHost();
        var page = RenderDetail(token.Id);
        page.WaitForAssertion(() => Assert.Equal("7 (no limit)", Text(page, "#token-downloads")));

        page.Find("#reset-token-usage").Click();
        dialogs.WaitForAssertion(() => Assert.Contains("back to zero", dialogs.Markup));
        dialogs.Find("#confirm-ok").Click();

        dialogs.WaitForAssertion(() => Assert.Empty(dialogs.FindAll("#confirm-ok")));
        page.WaitForAssertion(() => Assert.Equal("0 (no limit)", Text(page, "#token-downloads")));
        Assert.Equal("0 B (no limit)", Text(page, "#token-bandwidth"));
        Assert.Empty(page.FindAll("#token-error"));
        var stored = await TokenQueries.GetAsync(TestDatabase.Administrator, "acme", token.Id, Ct);
        Assert.Equal((0L, 0, 0L), (stored.Downloads, stored.Clients, stored.BandwidthBytes));
    }

    [Fact]
    public async Task Deleting_requires_typing_the_name_then_returns_to_the_repository()
    {
        var token = await SeedAsync("Acme CI");
        SignIn("ada@example.com", Roles.Administrator);
        var dialogs = RenderDialogHost();
        var page = RenderDetail(token.Id);

        page.WaitForElement("#delete-token").Click();
        dialogs.WaitForElement("#confirm-text").Input("Acme");
        Assert.True(dialogs.Find("#confirm-ok").HasAttribute("disabled"));
        Assert.Single(await StoredAsync());
        dialogs.Find("#confirm-text").Input("Acme CI");
        dialogs.WaitForAssertion(() => Assert.False(dialogs.Find("#confirm-ok").HasAttribute("disabled")));
        dialogs.Find("#confirm-ok").Click();

        var navigation = Services.GetRequiredService<NavigationManager>();
        page.WaitForAssertion(() => Assert.Equal("http://localhost/repositories/acme", navigation.Uri));
        Assert.Empty(await StoredAsync());
        Assert.True(Assert.Single(await StoredAsync(includeDeleted: true)).IsDeleted);
    }

    [Fact]
    public async Task A_deleted_token_shows_its_status_and_no_actions_or_secret()
    {
        var token = await SeedAsync("Acme CI");
        await TokenLifecycle.DeleteAsync(TestDatabase.Administrator, "acme", token.Id, Ct);
        SignIn("ada@example.com", Roles.Administrator);
        RenderDialogHost();

        var page = RenderDetail(token.Id);

        page.WaitForAssertion(() => Assert.Equal("Deleted", Text(page, ".token-status")));
        page.WaitForAssertion(() => Assert.Single(page.FindAll("#token-deleted")));
        Assert.Empty(page.FindAll("#edit-token"));
        Assert.Empty(page.FindAll("#enable-token"));
        Assert.Empty(page.FindAll("#token-reveal"));
        Assert.Single(page.FindAll("#token-deleted"));
    }

    [Fact]
    public async Task An_action_on_a_token_deleted_meanwhile_shows_the_reason()
    {
        var token = await SeedAsync("Acme CI");
        SignIn("ada@example.com", Roles.Administrator);
        RenderDialogHost();
        var page = RenderDetail(token.Id);
        page.WaitForElement("#disable-token");
        await TokenLifecycle.DeleteAsync(TestDatabase.Administrator, "acme", token.Id, Ct);

        page.Find("#disable-token").Click();

        page.WaitForAssertion(() => Assert.Equal(
            "This token was deleted; deleted tokens cannot be changed or re-enabled.", Text(page, "#token-error")));
    }

    [Fact]
    public void An_unknown_token_shows_a_not_found_message()
    {
        SignIn("ada@example.com", Roles.Administrator);
        RenderDialogHost();

        var page = RenderDetail(404);

        page.WaitForAssertion(() => Assert.Contains("'acme'", Text(page, "#token-not-found")));
        Assert.Empty(page.FindAll("#edit-token"));
    }
}

public sealed class TokenDetailAllowanceTests() : TokenPageTest(maxActiveTokens: 1)
{
    [Fact]
    public async Task Enabling_beyond_the_plan_shows_the_allowance_message_and_keeps_the_token_disabled()
    {
        await SeedAsync("In use");
        var spare = await SeedAsync("Spare", active: false);
        SignIn("ada@example.com", Roles.Administrator);
        RenderDialogHost();
        var page = Render<TokenDetailPage>(p => p.Add(d => d.Repo, "acme").Add(d => d.Id, spare.Id));

        page.WaitForElement("#enable-token").Click();

        page.WaitForAssertion(() => Assert.StartsWith("The plan allows 1 active token and all are in use.", Text(page, "#token-error")));
        Assert.Equal("Disabled", Text(page, ".token-status"));
        Assert.False((await TokenQueries.GetAsync(TestDatabase.Administrator, "acme", spare.Id, Ct)).IsActive);
    }
}
