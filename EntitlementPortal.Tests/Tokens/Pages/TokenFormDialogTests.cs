using Bunit;
using EntitlementPortal.Features.Tokens;
using EntitlementPortal.Identity;
using EntitlementPortal.Tests.Support;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace EntitlementPortal.Tests.Tokens.Pages;

public sealed class TokenFormDialogTests : TokenPageTest
{
    [Fact]
    public void The_form_offers_every_token_field_in_sections()
    {
        var (_, dialogs) = OpenNewTokenForm();

        foreach (var id in new[]
                 {
                     "#token-name", "#token-customer", "#token-secret", "#token-active", "#token-date-from", "#token-time-from",
                     "#token-date-to", "#token-time-to", "#token-max-downloads", "#token-max-clients", "#token-max-bandwidth",
                     "#token-bandwidth-unit", "#token-package-query", "#token-networks", "#token-reset-period", "#token-metadata",
                 })
        {
            Assert.NotNull(dialogs.Find(id));
        }
        Assert.Equal(["Basics", "Restrictions", "Metadata"], dialogs.FindAll("h3").Select(h => h.TextContent.Trim()).ToArray());
        Assert.Contains("UTC", dialogs.Find("#token-date-from").Closest(".mud-input-control")!.TextContent);
        Assert.Contains("8–48 letters", dialogs.Find("#token-secret").Closest(".mud-input-control")!.TextContent);
        Assert.Equal("No restrictions", Text(dialogs, "#token-summary"));
    }

    [Fact]
    public async Task A_bad_package_query_says_where_it_is_wrong_and_nothing_is_stored()
    {
        var (_, dialogs) = OpenNewTokenForm();
        dialogs.Find("#token-name").Input("Acme CI");

        dialogs.Find("#token-package-query").Input("tag:x NMAE:acme");

        dialogs.WaitForAssertion(() => Assert.Equal(
            "Package query: Unknown field 'NMAE' at position 6. Fields: name, version, filename, tag, format.",
            FieldError(dialogs, "#token-package-query")));
        Save(dialogs);
        dialogs.WaitForAssertion(() => Assert.NotNull(dialogs.Find("#save-token")));
        Assert.Empty(await StoredAsync());
    }

    [Fact]
    public async Task A_download_limit_of_zero_is_refused()
    {
        var (_, dialogs) = OpenNewTokenForm();
        dialogs.Find("#token-name").Input("Acme CI");
        dialogs.Find("#token-max-downloads").Input("0");

        Save(dialogs);

        dialogs.WaitForAssertion(() => Assert.Equal(
            "Enter a whole number ≥ 1", FieldError(dialogs, "#token-max-downloads")));
        Assert.Empty(await StoredAsync());
    }

    [Fact]
    public async Task A_network_with_host_bits_suggests_the_block_that_was_meant()
    {
        var (_, dialogs) = OpenNewTokenForm();
        dialogs.Find("#token-name").Input("Acme CI");

        dialogs.Find("#token-networks").Input("203.0.113.0/24\n10.1.2.3/8");

        dialogs.WaitForAssertion(() => Assert.Equal(
            "'10.1.2.3/8' has host bits set after /8; did you mean 10.0.0.0/8?", FieldError(dialogs, "#token-networks")));
        Save(dialogs);
        dialogs.WaitForAssertion(() => Assert.NotNull(dialogs.Find("#save-token")));
        Assert.Empty(await StoredAsync());
    }

    [Fact]
    public async Task An_end_before_the_start_of_the_date_window_is_refused()
    {
        var (_, dialogs) = OpenNewTokenForm();
        dialogs.Find("#token-name").Input("Acme CI");
        dialogs.Find("#token-date-from").Change("2026-12-31");
        dialogs.Find("#token-date-to").Change("2026-01-01");

        Save(dialogs);

        dialogs.WaitForAssertion(() => Assert.Equal(
            "The end of the date window must be after its start.", FieldError(dialogs, "#token-date-to")));
        Assert.Empty(await StoredAsync());
    }

    [Fact]
    public async Task The_date_window_is_stored_in_utc_with_the_chosen_times()
    {
        var (_, dialogs) = OpenNewTokenForm();
        dialogs.Find("#token-name").Input("Acme CI");
        dialogs.Find("#token-date-from").Change("2026-01-01");
        dialogs.Find("#token-date-to").Change("2026-12-31");
        dialogs.WaitForAssertion(() => Assert.False(dialogs.Find("#token-time-to").HasAttribute("disabled")));
        dialogs.Find("#token-time-to").Change("23:59");

        dialogs.WaitForAssertion(() =>
            Assert.Equal("valid 2026-01-01 00:00 UTC to 2026-12-31 23:59 UTC", Text(dialogs, "#token-summary")));
        Save(dialogs);

        dialogs.WaitForAssertion(() => Assert.Empty(dialogs.FindAll("#save-token")));
        var stored = Assert.Single(await StoredAsync());
        Assert.Equal(new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc), stored.LimitDateFrom);
        Assert.Equal(new DateTime(2026, 12, 31, 23, 59, 0, DateTimeKind.Utc), stored.LimitDateTo);
    }

    [Fact]
    public async Task Bandwidth_is_typed_with_a_unit_and_stored_in_bytes()
    {
        var (_, dialogs) = OpenNewTokenForm();
        dialogs.Find("#token-name").Input("Acme CI");
        dialogs.Find("#token-max-bandwidth").Input("5");
        Pick(dialogs, "#token-bandwidth-unit", "MB");
        dialogs.WaitForAssertion(() => Assert.Contains("= 5,000,000 bytes", dialogs.Find("#token-max-bandwidth").Closest(".mud-input-control")!.TextContent));

        Pick(dialogs, "#token-bandwidth-unit", "GB");

        dialogs.WaitForAssertion(() => Assert.Contains("= 5,000,000,000 bytes", dialogs.Find("#token-max-bandwidth").Closest(".mud-input-control")!.TextContent));
        Assert.Equal("at most 5 GB", Text(dialogs, "#token-summary"));
        Save(dialogs);
        dialogs.WaitForAssertion(() => Assert.Empty(dialogs.FindAll("#save-token")));
        Assert.Equal(5_000_000_000, Assert.Single(await StoredAsync()).LimitBandwidthBytes);
    }

    [Fact]
    public async Task A_custom_token_already_used_in_the_repository_is_shown_on_its_field()
    {
        await SeedAsync("First", secret: "acme-shared-1");
        var (_, dialogs) = OpenNewTokenForm();
        dialogs.Find("#token-name").Input("Second");
        dialogs.Find("#token-secret").Input("acme-shared-1");

        Save(dialogs);

        dialogs.WaitForAssertion(() => Assert.Equal(
            "Another token in this repository already uses that token string.", FieldError(dialogs, "#token-secret")));
        Assert.Equal("Second", dialogs.Find("#token-name").GetAttribute("value"));
        Assert.Equal(["First"], (await StoredAsync()).Select(t => t.Name));
    }

    [Fact]
    public async Task A_custom_token_breaking_the_rules_is_refused_as_it_is_typed()
    {
        var (_, dialogs) = OpenNewTokenForm();
        dialogs.Find("#token-name").Input("Acme CI");

        dialogs.Find("#token-secret").Input("ent_mine_please");

        dialogs.WaitForAssertion(() => Assert.Equal(
            "Custom tokens must not start with 'ent_': that prefix marks generated tokens.", FieldError(dialogs, "#token-secret")));
        Save(dialogs);
        dialogs.WaitForAssertion(() => Assert.NotNull(dialogs.Find("#save-token")));
        Assert.Empty(await StoredAsync());
    }
}
