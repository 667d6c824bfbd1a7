using Bunit;
using EntitlementPortal.Features.Tokens;
using EntitlementPortal.Identity;
using EntitlementPortal.Tests.Support;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace EntitlementPortal.Tests.Tokens.Pages;

/// <summary>Saving the token form: what is stored, what editing shows, and fields kept as typed when invalid.</summary>
public sealed class TokenFormSavingTests : TokenPageTest
{
    [Fact]
    public async Task A_new_token_with_every_setting_is_stored_listed_and_opened_with_its_secret()
    {
        var (list, dialogs) = OpenNewTokenForm();
        dialogs.Find("#token-name").Input("Acme CI");
        dialogs.Find("#token-customer").Input("acme");
        Popovers.WaitForAssertion(() => Assert.Contains(Popovers.FindAll(".mud-list-item"), i => i.TextContent.Trim() == "Acme Corp"), TimeSpan.FromSeconds(5));
        Popovers.FindAll(".mud-list-item").First(i => i.TextContent.Trim() == "Acme Corp").Click();
        dialogs.Find("#token-secret").Input("acme-ci-2026");
        dialogs.Find("#token-max-downloads").Input("100");
        dialogs.Find("#token-max-clients").Input("3");
        dialogs.Find("#token-package-query").Input("name:acme-*");
        dialogs.Find("#token-networks").Input("203.0.113.0/24");
        Pick(dialogs, "#token-reset-period", "Monthly");
        dialogs.Find("#token-metadata").Input("{ \"seats\": 3 }");
        dialogs.WaitForAssertion(() => Assert.Equal(
            "at most 100 downloads; at most 3 client addresses; packages matching name:acme-*; from 203.0.113.0/24; usage resets monthly",
            Text(dialogs, "#token-summary")));

        Save(dialogs);

        dialogs.WaitForAssertion(() => Assert.Empty(dialogs.FindAll("#save-token")));
        list.WaitForAssertion(() => Assert.Equal(["Acme CI"], Names(list)));
        var stored = Assert.Single(await StoredAsync());
        Assert.Equal((CustomerId, 100L, 3, "name:acme-*", ResetPeriod.Monthly), (stored.CustomerId!.Value, stored.LimitDownloads!.Value,
            stored.LimitClients!.Value, stored.LimitPackageQuery, stored.ResetPeriod));
        Assert.Equal(["203.0.113.0/24"], stored.AllowedCidrs);
        Assert.Equal("{\"seats\":3}", stored.MetadataJson);
        Assert.Equal("acme-ci-2026", stored.Token);
        var navigation = Services.GetRequiredService<NavigationManager>();
        Assert.Equal($"http://localhost/repositories/acme/tokens/{stored.Id}?created=true", navigation.Uri);

        var detail = Render<TokenDetailPage>(p => p.Add(d => d.Repo, "acme").Add(d => d.Id, stored.Id));

        detail.WaitForAssertion(() => Assert.Equal("acme-ci-2026", Text(detail, "#token-secret-value")));
        Assert.Contains("Token created", Text(detail, "#token-notice"));
        // Shown once: a reload of the page or a shared address must not announce the creation again.
        detail.WaitForAssertion(() => Assert.Equal($"http://localhost/repositories/acme/tokens/{stored.Id}", navigation.Uri));
        Assert.Contains("Token created", Text(detail, "#token-notice"));
        Assert.Equal("acme-ci-2026", Text(detail, "#token-secret-value"));
    }

    [Fact]
    public async Task Editing_shows_the_stored_values_and_saves_changes()
    {
        var token = await SeedAsync("Acme CI", restrict: t =>
        {
            t.LimitBandwidthBytes = 5_000_000_000;
            t.AllowedCidrs = ["203.0.113.0/24", "2001:db8::/32"];
            t.LimitDateFrom = new DateTime(2026, 1, 1, 8, 30, 0, DateTimeKind.Utc);
            t.MetadataJson = "{\"seats\":3}";
        });
        SignIn("ada@example.com", Roles.TokenManager);
        var dialogs = RenderDialogHost();
        var page = Render<TokenDetailPage>(p => p.Add(d => d.Repo, "acme").Add(d => d.Id, token.Id));
        page.WaitForElement("#edit-token").Click();
        dialogs.WaitForElement("#token-name");

        Assert.Equal("Acme CI", dialogs.Find("#token-name").GetAttribute("value"));
        Assert.Equal("5", dialogs.Find("#token-max-bandwidth").GetAttribute("value"));
        Assert.Equal("GB", dialogs.Find("#token-bandwidth-unit").GetAttribute("value"));
        Assert.Equal("203.0.113.0/24\n2001:db8::/32", dialogs.Find("#token-networks").GetAttribute("value")?.ReplaceLineEndings("\n"));
        Assert.Equal("2026-01-01", dialogs.Find("#token-date-from").GetAttribute("value"));
        Assert.Equal("08:30", dialogs.Find("#token-time-from").GetAttribute("value"));
        Assert.Equal("{\n  \"seats\": 3\n}", dialogs.Find("#token-metadata").GetAttribute("value")?.ReplaceLineEndings("\n"));
        Assert.Equal("", dialogs.Find("#token-secret").GetAttribute("value") ?? "");
        dialogs.Find("#token-name").Input("Acme CI (renamed)");
        Save(dialogs);

        page.WaitForAssertion(() => Assert.Equal("Acme CI (renamed)", Text(page, "#token-title")));
        var stored = await TokenQueries.GetAsync(TestDatabase.Administrator, "acme", token.Id, Ct);
        Assert.Equal(("Acme CI (renamed)", 5_000_000_000L, token.Token), (stored.Name, stored.LimitBandwidthBytes!.Value, stored.Token));
        Assert.Equal(token.LimitDateFrom, stored.LimitDateFrom);
    }

    [Theory]
    [InlineData("12abc")]
    [InlineData("-3")]
    [InlineData("1e3")]
    [InlineData("0")]
    [InlineData("2.5")]
    public async Task A_limit_that_is_not_a_whole_number_of_at_least_1_is_kept_marked_and_never_summarised(string typed)
    {
        var (_, dialogs) = OpenNewTokenForm();
        dialogs.Find("#token-name").Input("Acme CI");

        dialogs.Find("#token-max-downloads").Input(typed);

        dialogs.WaitForAssertion(() => Assert.Equal("Enter a whole number ≥ 1", FieldError(dialogs, "#token-max-downloads")));
        Assert.Equal(typed, dialogs.Find("#token-max-downloads").GetAttribute("value"));
        Assert.Equal("Fix the highlighted fields.", Text(dialogs, "#token-summary"));
        Save(dialogs);
        dialogs.WaitForAssertion(() => Assert.Equal("Enter a whole number ≥ 1", FieldError(dialogs, "#token-max-downloads")));
        Assert.Single(dialogs.FindAll("#save-token"));
        Assert.Empty(await StoredAsync());
    }

    [Fact]
    public void A_limit_too_large_to_store_is_kept_and_marked_instead_of_being_changed()
    {
        var (_, dialogs) = OpenNewTokenForm();

        dialogs.Find("#token-max-clients").Input("99999999999999999999");

        dialogs.WaitForAssertion(() => Assert.Equal("Enter a smaller number: at most 2,147,483,647.", FieldError(dialogs, "#token-max-clients")));
        Assert.Equal("99999999999999999999", dialogs.Find("#token-max-clients").GetAttribute("value"));
        Assert.DoesNotContain("client", Text(dialogs, "#token-summary"));
    }

    [Fact]
    public void The_summary_shows_the_valid_restrictions_and_says_to_fix_the_rest()
    {
        var (_, dialogs) = OpenNewTokenForm();

        dialogs.Find("#token-max-downloads").Input("100");
        dialogs.Find("#token-max-bandwidth").Input("-3");
        dialogs.Find("#token-package-query").Input("name:acme-* AND (");

        dialogs.WaitForAssertion(() => Assert.Equal("at most 100 downloads; fix the highlighted fields", Text(dialogs, "#token-summary")));
        Assert.Equal("Enter a number greater than 0", FieldError(dialogs, "#token-max-bandwidth"));
        Assert.Equal("-3", dialogs.Find("#token-max-bandwidth").GetAttribute("value"));

        dialogs.Find("#token-max-bandwidth").Input("1.5");
        dialogs.Find("#token-package-query").Input("name:acme-*");

        dialogs.WaitForAssertion(() => Assert.Equal("at most 100 downloads; at most 1.5 GB; packages matching name:acme-*", Text(dialogs, "#token-summary")));
        Assert.Equal("1.5", dialogs.Find("#token-max-bandwidth").GetAttribute("value"));
    }

    [Fact]
    public async Task A_grace_period_that_is_not_a_whole_number_is_kept_and_blocks_the_refresh()
    {
        SignIn("ada@example.com", Roles.Administrator);
        var dialogs = RenderDialogHost();
        Task<int?>? asked = null;
        await dialogs.InvokeAsync(() => { asked = TokenRefreshDialog.OpenAsync(Services.GetRequiredService<IDialogService>(), "Acme CI"); });

        dialogs.WaitForElement("#token-grace").Input("2h");

        dialogs.WaitForAssertion(() => Assert.Equal("Enter a whole number ≥ 0", FieldError(dialogs, "#token-grace")));
        Assert.Equal("2h", dialogs.Find("#token-grace").GetAttribute("value"));
        Assert.True(dialogs.Find("#token-refresh-confirm").HasAttribute("disabled"));

        dialogs.Find("#token-grace").Input("2");
        dialogs.WaitForAssertion(() => Assert.False(dialogs.Find("#token-refresh-confirm").HasAttribute("disabled")));
        dialogs.Find("#token-refresh-confirm").Click();
        Assert.Equal(7200, await asked!.WaitAsync(TimeSpan.FromSeconds(30), Ct));
    }
}


public sealed class TokenFormAllowanceTests() : TokenPageTest(maxActiveTokens: 1)
{
    [Fact]
    public async Task Creating_an_active_token_beyond_the_plan_shows_the_allowance_and_stores_nothing()
    {
        await SeedAsync("Only one");
        SignIn("ada@example.com", Roles.Administrator);
        var dialogs = RenderDialogHost();
        var list = Render<TokenList>(p => p.Add(l => l.Repo, "acme"));
        list.WaitForAssertion(() => Assert.Equal("Plan: 1 of 1 active tokens across the portal", Text(list, "#token-allowance")));
        list.Find("#new-token").Click();
        dialogs.WaitForElement("#token-name").Input("One too many");

        dialogs.Find("#save-token").Click();

        dialogs.WaitForAssertion(() => Assert.StartsWith("The plan allows 1 active token and all are in use.", Text(dialogs, "#token-active-error")));
        Assert.NotNull(dialogs.Find("#save-token"));
        Assert.Equal(["Only one"], (await StoredAsync()).Select(t => t.Name));
    }
}
