using System.Net;
using System.Net.Http.Json;
using EntitlementPortal.Features.Customers;
using EntitlementPortal.Features.Repositories;
using EntitlementPortal.Identity;
using EntitlementPortal.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace EntitlementPortal.Tests.Browser;

/// <summary>Typing right after a form dialog opened, as fast as keys can be pressed, loses nothing.</summary>
[Collection(BrowserCollection.Name)]
public sealed class FormDialogTypingJourneyTests(BrowserFixture browser, FormDialogApp shared)
    : FormDialogJourneyTest(browser, shared), IClassFixture<FormDialogApp>
{
    [Fact]
    public async Task Typing_fast_right_after_the_new_user_dialog_opens_keeps_every_character()
    {
        page = await SignedInPageAsync();
        await BrowserSession.OpenAsync(page, "/users", "Users");
        var values = new (string Field, string Text)[]
        {
            ("#user-email", "quick.typist@example.com"),
            ("#user-name", "Quentin Typist"),
            ("#user-password", "Quick-typ1st-password!"),
        };

        await page.ClickAsync("#new-user");
        await TypeRightAwayAsync(values);
        await page.ClickAsync("#save-user");

        await page.Locator("#users-table >> text=quick.typist@example.com").WaitForAsync();
        var saved = await app.WithDbAsync(db => db.Set<ApplicationUser>().AsNoTracking()
            .SingleAsync(u => u.Email == "quick.typist@example.com", TestContext.Current.CancellationToken));
        Assert.Equal("Quentin Typist", saved.Name);
    }

    [Fact]
    public async Task Typing_fast_right_after_the_new_customer_dialog_opens_keeps_every_character()
    {
        page = await SignedInPageAsync();
        await BrowserSession.OpenAsync(page, "/customers", "Customers");
        var values = new (string Field, string Text)[]
        {
            ("#customer-name", "Quick Typing Ltd"),
            ("#customer-company", "Quick Typing Holdings"),
            ("#customer-email", "billing@quick-typing.example"),
            ("#customer-external-ref", "cus_quick_2001"),
            ("#customer-license-key", "LK-QUICK-0001"),
            ("#customer-plan", "enterprise"),
        };

        await page.ClickAsync("#new-customer");
        await TypeRightAwayAsync(values);
        await page.ClickAsync("#save-customer");

        await page.Locator("#customers-table >> text=Quick Typing Ltd").WaitForAsync();
        var saved = await app.WithDbAsync(db => db.Set<Customer>().AsNoTracking()
            .SingleAsync(c => c.Name == "Quick Typing Ltd", TestContext.Current.CancellationToken));
        Assert.Equal(
            values.Select(v => v.Text),
            [saved.Name, saved.Company, saved.Email, saved.ExternalRef, saved.LicenseKey, saved.Plan]);
    }

    [Fact]
    public async Task Typing_fast_in_the_new_repository_dialog_whose_fields_re_render_on_every_key_keeps_every_character()
    {
        page = await SignedInPageAsync();
        await BrowserSession.OpenAsync(page, "/repositories", "Repositories");
        var values = new (string Field, string Text)[]
        {
            ("#repository-name", "Acme Enterprise Monitoring Agents"),
            ("#repository-slug", "acme-enterprise-monitoring"),
            ("#repository-description", "Agents that watch the Acme build farm and report to the portal"),
        };

        await page.ClickAsync("#new-repository");
        await Expect(page.Locator("#repository-name")).ToBeFocusedAsync();
        // The slug follows the name, key by key, while the name is typed.
        await page.Keyboard.TypeAsync(values[0].Text);
        await Expect(page.Locator("#repository-slug")).ToHaveValueAsync("acme-enterprise-monitoring-agents");
        await page.Locator("#repository-slug").FillAsync("");
        await TypeRightAwayAsync(values[1..]);
        await Expect(page.Locator("#repository-name")).ToHaveValueAsync(values[0].Text);
        await page.ClickAsync("#save-repository");

        await page.Locator("#repository-table >> text=acme-enterprise-monitoring").First.WaitForAsync();
        var saved = await app.WithDbAsync(db => db.Set<Repository>().AsNoTracking()
            .SingleAsync(r => r.Slug == "acme-enterprise-monitoring", TestContext.Current.CancellationToken));
        Assert.Equal((values[0].Text, values[2].Text), (saved.Name, saved.Description));
    }

    /// <summary>
    /// Types as a person would, as fast as keys can be pressed: into the first field as soon as it has the focus the
    /// dialog gave it, then on with Tab from field to field; then every field shows exactly its text.
    /// </summary>
    private async Task TypeRightAwayAsync((string Field, string Text)[] values)
    {
        await Expect(page!.Locator(values[0].Field)).ToBeFocusedAsync();
        for (var i = 0; i < values.Length; i++)
        {
            if (i > 0)
            {
                await page.Keyboard.PressAsync("Tab");
            }
            await page.Keyboard.TypeAsync(values[i].Text);
        }
        foreach (var (field, text) in values)
        {
            await Expect(page.Locator(field)).ToHaveValueAsync(text);
        }
    }
}
