using Microsoft.EntityFrameworkCore;
using Bunit;
using EntitlementPortal.Features.Tokens;
using EntitlementPortal.Identity;
using EntitlementPortal.Tests.Support;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace EntitlementPortal.Tests.Tokens.Pages;

public sealed class TokenDetailPageTests : TokenPageTest
{
    [Fact]
    public async Task Shows_the_token_its_customer_usage_restrictions_metadata_and_history()
    {
        var token = await SeedAsync("Acme CI", customerId: CustomerId, restrict: t =>
        {
            t.LimitDownloads = 100;
            t.LimitBandwidthBytes = 5_000_000_000;
            t.LimitPackageQuery = "name:acme-*";
            t.AllowedCidrs = ["203.0.113.0/24"];
            t.ResetPeriod = ResetPeriod.Monthly;
            t.MetadataJson = "{\"seats\":3}";
        });
        await RecordUsageAsync(token.Id, 7, 2, 1_500_000, new DateTime(2026, 3, 1, 9, 15, 0, DateTimeKind.Utc), "203.0.113.9");
        SignIn("ada@example.com", Roles.Administrator);
        RenderDialogHost();

        var page = RenderDetail(token.Id);

        page.WaitForAssertion(() => Assert.Equal("Acme CI", Text(page, "#token-title")));
        Assert.Equal("Active", Text(page, ".token-status"));
        Assert.Equal($"customers/{CustomerId}", page.Find("#token-customer-value a").GetAttribute("href"));
        Assert.Equal("Acme Corp", Text(page, "#token-customer-value"));
        Assert.Equal("7 of 100", Text(page, "#token-downloads"));
        Assert.Equal("2 (no limit)", Text(page, "#token-clients"));
        Assert.Equal("1.5 MB of 5 GB", Text(page, "#token-bandwidth"));
        Assert.Equal("2026-03-01 09:15 UTC from 203.0.113.9", Text(page, "#token-last-download"));
        Assert.Equal($"Monthly; next {TokenDisplay.Utc(token.NextResetAt)}", Text(page, "#token-reset"));
        Assert.Equal("at most 100 downloads; at most 5 GB; packages matching name:acme-*; from 203.0.113.0/24; usage resets monthly",
            Text(page, "#token-restrictions-summary"));
        Assert.Equal("name:acme-*", Text(page, "#token-packages"));
        Assert.Equal("203.0.113.0/24", Text(page, "#token-networks"));
        Assert.Equal("{\n  \"seats\": 3\n}", Text(page, "#token-metadata").ReplaceLineEndings("\n"));
        Assert.Equal($"{TokenDisplay.Utc(token.CreatedAt)} by admin@example.com", Text(page, "#token-created"));
        Assert.Equal("Never", Text(page, "#token-refreshed"));
    }

    [Fact]
    public async Task The_secret_is_masked_until_revealed_and_copies_to_the_clipboard()
    {
        var token = await SeedAsync("Acme CI");
        SignIn("ada@example.com", Roles.Administrator);
        RenderDialogHost();
        var page = RenderDetail(token.Id);
        page.WaitForElement("#token-reveal");

        Assert.Equal(token.SecretHint, Text(page, "#token-secret-value"));
        Assert.DoesNotContain(token.Token!, page.Markup);

        page.Find("#token-reveal").Click();
        page.WaitForAssertion(() => Assert.Equal(token.Token, Text(page, "#token-secret-value")));
        Assert.Equal("Hide", Text(page, "#token-reveal"));

        page.Find("#token-copy").Click();
        Assert.Equal(token.Token, ClipboardText(page));

        page.Find("#token-reveal").Click();
        page.WaitForAssertion(() => Assert.Equal(token.SecretHint, Text(page, "#token-secret-value")));
    }

    [Fact]
    public async Task Install_snippets_show_the_formats_the_token_sees_masked_and_copy_with_the_real_token()
    {
        await SeedPackageAsync("acme", "acme-lib", "1.0.0", "", "acme_lib-1.0.0-py3-none-any.whl");
        await SeedPackageAsync("acme", "acme-agent", "2.1.0", "", "acme-agent-2.1.0.tar.gz");
        await using (var db = Database.OpenContext())
        {
            var wheel = await db.Set<EntitlementPortal.Features.Packages.Package>().SingleAsync(p => p.Name == "acme-lib", Ct);
            wheel.Format = "python";
            await db.SaveChangesAsync(Ct);
        }
        var token = await SeedAsync("Acme CI", secret: "acme-ci-2026");
        var rawOnly = await SeedAsync("Raw only", secret: "acme-raw-2026", restrict: t => t.LimitPackageQuery = "format:raw");
        SignIn("ada@example.com", Roles.Administrator);
        RenderDialogHost();

        var page = RenderDetail(token.Id);
        page.WaitForElement("#install-snippets");
        var pip = page.FindAll("pre[id^='snippet-python-']").Select(e => e.TextContent).ToList();
        Assert.Contains(pip, text => text.Contains("/acme/python/simple/", StringComparison.Ordinal));
        Assert.Contains(pip, text => text.Contains("acme-lib", StringComparison.Ordinal));
        Assert.All(pip, text => Assert.DoesNotContain("acme-ci-2026", text, StringComparison.Ordinal));
        Assert.Empty(page.FindAll("pre[id^='snippet-npm-'], pre[id^='snippet-nuget-']"));
        page.Find("#snippet-python-0-copy").Click();
        Assert.Contains("acme-ci-2026", ClipboardText(page), StringComparison.Ordinal);

        // The panel asks the same service the page uses; for a query that lets no Python package through it offers nothing.
        Assert.Empty(await Services.GetRequiredService<EntitlementPortal.Features.Formats.InstallSnippets>()
            .PackagesByFormatAsync(TestDatabase.Administrator, "acme", rawOnly.LimitPackageQuery, Ct));
        var hidden = RenderDetail(rawOnly.Id);
        hidden.WaitForElement("#token-secret-value");
        Assert.Empty(hidden.FindAll("#install-snippets"));
    }

    [Fact]
    public async Task Download_commands_name_the_exact_file_and_copy_with_the_real_token()
    {
        await SeedPackageAsync("acme", "acme-agent", "2.1.0", "", "acme-agent-2.1.0.tar.gz");
        var token = await SeedAsync("Acme CI", secret: "acme-ci-2026");
        SignIn("ada@example.com", Roles.Administrator);
        RenderDialogHost();
        var page = RenderDetail(token.Id);
        page.WaitForElement("#token-reveal").Click();

        page.WaitForAssertion(() => Assert.Equal(
            "http://localhost/dl/acme-ci-2026/acme/acme-agent/2.1.0/acme-agent-2.1.0.tar.gz", Text(page, "#snippet-url")));
        Assert.Equal("http://localhost/dl/acme-ci-2026/acme/", Text(page, "#snippet-index"));
        Assert.Equal("curl --fail-with-body -L -u token:acme-ci-2026 -o acme-agent-2.1.0.tar.gz "
            + "http://localhost/dl/basic/acme/acme-agent/2.1.0/acme-agent-2.1.0.tar.gz", Text(page, "#snippet-curl"));
        Assert.Equal("wget --auth-no-challenge --user=token --password=acme-ci-2026 -O acme-agent-2.1.0.tar.gz "
            + "http://localhost/dl/basic/acme/acme-agent/2.1.0/acme-agent-2.1.0.tar.gz", Text(page, "#snippet-wget"));
        Assert.Contains("holds the reason the portal gives", Text(page, "#curl-hint"));
        Assert.Contains("plain curl -f throws that reason away", Text(page, "#curl-hint"));
        Assert.DoesNotContain("<package>", page.Markup);

        page.Find("#token-reveal").Click();
        page.WaitForAssertion(() => Assert.DoesNotContain("acme-ci-2026", Text(page, "#snippet-curl")));
        page.Find("#snippet-curl-copy").Click();
        Assert.Equal("curl --fail-with-body -L -u token:acme-ci-2026 -o acme-agent-2.1.0.tar.gz "
            + "http://localhost/dl/basic/acme/acme-agent/2.1.0/acme-agent-2.1.0.tar.gz",
            ClipboardText(page));
    }

    [Fact]
    public async Task The_file_picker_offers_only_what_the_package_query_lets_through()
    {
        await SeedPackageAsync("acme", "acme-agent", "1.9.0", "", "acme-agent-1.9.0.tar.gz");
        await SeedPackageAsync("acme", "acme-agent", "2.1.0", "", "acme-agent-2.1.0.tar.gz", "acme-agent-2.1.0.zip");
        await SeedPackageAsync("acme", "acme-tools", "3.0.0", "", "acme tools 3.0.0.tgz");
        await SeedPackageAsync("globex", "acme-agent", "9.0.0", "", "acme-agent-9.0.0.tar.gz");
        var token = await SeedAsync("Agent 2", secret: "agent-two-2026", restrict: t => t.LimitPackageQuery = "name:acme-agent AND version:>=2.0");
        var everything = await SeedAsync("Everything", secret: "everything-2026");
        SignIn("ada@example.com", Roles.Administrator);
        RenderDialogHost();

        var page = RenderDetail(token.Id);

        page.WaitForElement("#token-file").Closest(".mud-input-control")!.MouseDown();
        Popovers.WaitForAssertion(() => Assert.Equal(
            ["acme-agent 2.1.0 · acme-agent-2.1.0.tar.gz (2 KB)", "acme-agent 2.1.0 · acme-agent-2.1.0.zip (2 KB)"],
            Popovers.FindAll(".mud-list-item").Select(i => i.TextContent.Trim()).ToArray()));
        Popovers.FindAll(".mud-list-item")[1].Click();
        page.WaitForAssertion(() => Assert.EndsWith("/dl/basic/acme/acme-agent/2.1.0/acme-agent-2.1.0.zip", Text(page, "#snippet-curl")));

        // Without a query every file of the repository is offered, newest version first; odd names are quoted and escaped.
        var all = RenderDetail(everything.Id);
        all.WaitForElement("#token-file").Closest(".mud-input-control")!.MouseDown();
        Popovers.WaitForAssertion(() => Assert.Equal(4, Popovers.FindAll(".mud-list-item").Count(i => i.TextContent.Contains("acme", StringComparison.Ordinal))));
        Popovers.FindAll(".mud-list-item").Single(i => i.TextContent.Contains("acme tools", StringComparison.Ordinal)).Click();
        all.WaitForAssertion(() => Assert.EndsWith(
            "-o 'acme tools 3.0.0.tgz' http://localhost/dl/basic/acme/acme-tools/3.0.0/acme%20tools%203.0.0.tgz", Text(all, "#snippet-curl")));
    }

    [Fact]
    public async Task A_token_that_may_download_nothing_says_so_instead_of_showing_a_template()
    {
        await SeedPackageAsync("acme", "acme-agent", "1.0.0", "", "acme-agent-1.0.0.tar.gz");
        var token = await SeedAsync("Nothing yet", restrict: t => t.LimitPackageQuery = "name:globex-*");
        SignIn("ada@example.com", Roles.Administrator);
        RenderDialogHost();

        var page = RenderDetail(token.Id);

        page.WaitForAssertion(() => Assert.Equal(
            "This token may download no file yet: upload a package to acme, or widen the token's package query.", Text(page, "#token-no-files")));
        Assert.Empty(page.FindAll("#snippet-curl"));
        Assert.DoesNotContain("<filename>", page.Markup);
    }
}
