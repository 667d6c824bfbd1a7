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

/// <summary>
/// Form dialogs in a real browser: the first field has the focus from the start and keeps it, Esc and the backdrop
/// close a dialog nothing was typed in and ask first otherwise, and typing right after the dialog opened loses nothing.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class FormDialogJourneyTests(BrowserFixture browser) : IAsyncDisposable
{
    private readonly ApiAppFactory app = new();
    private IPage? page;

    /// <summary>Where a dialog opens, its button, its first field and what that field holds when it opens.</summary>
    private sealed record FormDialogCase(string Path, string Heading, string OpenButton, string FirstField, string Prefilled = "");

    private static readonly Dictionary<string, FormDialogCase> Cases = new()
    {
        ["new repository"] = new("/repositories", "Repositories", "#new-repository", "#repository-name"),
        ["new customer"] = new("/customers", "Customers", "#new-customer", "#customer-name"),
        ["new token"] = new("/repositories/acme", "Acme", "#new-token", "#token-name"),
        ["edit token"] = new("/repositories/acme/tokens/{token}", "Acme CI", "#edit-token", "#token-name", "Acme CI"),
        ["new user"] = new("/users", "Users", "#new-user", "#user-email"),
        ["new team"] = new("/teams", "Teams", "#new-team", "#team-slug"),
    };

    public static TheoryData<string> Dialogs() => new(Cases.Keys);

    [Theory]
    [MemberData(nameof(Dialogs))]
    public async Task Esc_and_the_backdrop_close_the_dialog_at_once_and_ask_first_once_something_was_typed(string dialog)
    {
        var (path, heading, openButton, firstField, prefilled) = Cases[dialog];
        path = path.Replace("{token}", (await SeedAsync()).ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        page = await SignedInPageAsync();
        await BrowserSession.OpenAsync(page, path, heading);
        var field = page.Locator(firstField);
        const string typed = "-ops";

        // Nothing typed: Esc closes at once, and the first field had the focus all the time the dialog was open.
        await OpenAsync(openButton, field);
        await page.Keyboard.PressAsync("Escape");
        await ExpectClosedWithoutQuestionAsync(field);
        Assert.Equal([firstField], await FocusedInDialogsAsync());

        // Something typed: Esc asks; keeping on editing keeps the text and the focus, so the next Esc asks again.
        await OpenAsync(openButton, field);
        await TypeAsync(field, typed);
        await page.Keyboard.PressAsync("Escape");
        await ExpectQuestionAsync();
        await page.Keyboard.PressAsync("Escape");
        await ExpectNoQuestionAsync();
        await Expect(field).ToHaveValueAsync(prefilled + typed);
        await Expect(field).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Escape");
        await ExpectQuestionAsync();
        await KeepEditingAsync(field, prefilled + typed);
        await page.Keyboard.PressAsync("Escape");
        await ExpectQuestionAsync();
        await page.ClickAsync("#confirm-ok");
        await ExpectClosedWithoutQuestionAsync(field);

        // The backdrop: the same, and after "Keep editing" Esc still reaches the dialog.
        await OpenAsync(openButton, field);
        await ClickBackdropAsync();
        await ExpectClosedWithoutQuestionAsync(field);

        await OpenAsync(openButton, field);
        await TypeAsync(field, typed);
        await ClickBackdropAsync();
        await ExpectQuestionAsync();
        await KeepEditingAsync(field, prefilled + typed);
        await page.Keyboard.PressAsync("Escape");
        await ExpectQuestionAsync();
        await KeepEditingAsync(field, prefilled + typed);
        await ClickBackdropAsync();
        await ExpectQuestionAsync();
        await page.ClickAsync("#confirm-ok");
        await ExpectClosedWithoutQuestionAsync(field);
        browser.AssertNoCspViolations(page);
    }

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

    [Fact]
    public async Task Esc_after_a_click_on_the_blank_edge_of_the_dialog_still_asks_before_closing()
    {
        page = await SignedInPageAsync();
        await BrowserSession.OpenAsync(page, "/customers", "Customers");
        var field = page.Locator("#customer-name");
        await OpenAsync("#new-customer", field);
        await TypeAsync(field, "Initech");

        // The padding of the title bar and the dialog's own blank edge belong to no field.
        await page.Locator(".mud-dialog .mud-dialog-title").ClickAsync(new() { Position = new() { X = 3, Y = 3 } });
        await page.Keyboard.PressAsync("Escape");
        await ExpectQuestionAsync();
        await KeepEditingAsync(field, "Initech");

        var dialogBox = await page.Locator(".mud-dialog").BoundingBoxAsync();
        await page.Mouse.ClickAsync(dialogBox!.X + dialogBox.Width - 2, dialogBox.Y + dialogBox.Height - 2);
        await page.Keyboard.PressAsync("Escape");
        await ExpectQuestionAsync();
        await page.ClickAsync("#confirm-ok");
        await ExpectClosedWithoutQuestionAsync(field);
        browser.AssertNoCspViolations(page);
    }

    [Fact]
    public async Task Esc_with_a_list_open_in_the_dialog_closes_the_list_and_leaves_the_dialog_open()
    {
        await SeedAsync();
        using (var api = app.CreateApiClient())
        {
            (await api.PostAsJsonAsync("/api/v1/customers", new { name = "Acme Corp" }, TestContext.Current.CancellationToken)).EnsureSuccessStatusCode();
        }
        page = await SignedInPageAsync();
        await BrowserSession.OpenAsync(page, "/tokens", "Tokens");
        await page.ClickAsync("#new-token");
        await TypeAsync(page.Locator("#token-name"), "Acme build farm");

        // The repository select: open its list, Esc closes the list only.
        await page.Locator(".mud-dialog .mud-select").First.ClickAsync();
        await Expect(page.Locator(".mud-popover-open .mud-list-item").First).ToBeVisibleAsync();
        await page.Keyboard.PressAsync("Escape");
        await Expect(page.Locator(".mud-popover-open .mud-list-item")).ToHaveCountAsync(0);
        await ExpectNoQuestionAsync();
        await Expect(page.Locator(".mud-dialog [data-form-dialog]")).ToHaveCountAsync(1);

        // The customer autocomplete: its suggestions open as one types; Esc closes them, not the dialog.
        var customer = page.Locator("#token-customer");
        await customer.ClickAsync();
        await customer.PressSequentiallyAsync("Acm");
        await Expect(page.Locator(".mud-popover-open .mud-list-item:has-text('Acme Corp')")).ToBeVisibleAsync();
        await page.Keyboard.PressAsync("Escape");
        await Expect(page.Locator(".mud-popover-open .mud-list-item")).ToHaveCountAsync(0);
        await ExpectNoQuestionAsync();
        await Expect(page.Locator(".mud-dialog [data-form-dialog]")).ToHaveCountAsync(1);

        // With the lists closed, Esc reaches the dialog, which asks first: a name was typed.
        await page.Keyboard.PressAsync("Escape");
        await ExpectQuestionAsync();
        await page.ClickAsync("#confirm-cancel");
        await Expect(page.Locator("#token-name")).ToHaveValueAsync("Acme build farm");
        browser.AssertNoCspViolations(page);
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

    /// <summary>A repository "acme" with a token "Acme CI"; the token's id.</summary>
    private async Task<int> SeedAsync()
    {
        var ct = TestContext.Current.CancellationToken;
        using var api = app.CreateApiClient();
        (await api.PostAsJsonAsync("/api/v1/repos", new { slug = "acme", name = "Acme" }, ct)).EnsureSuccessStatusCode();
        var token = await (await api.PostAsJsonAsync("/api/v1/repos/acme/entitlements", new { name = "Acme CI" }, ct))
            .ReadJsonAsync(HttpStatusCode.Created);
        return token.GetProperty("id").GetInt32();
    }

    private async Task<IPage> SignedInPageAsync()
    {
        var signedIn = await browser.NewPageAsync(app);
        // Every element inside a dialog that takes the focus, in order, so a test can tell where the focus went.
        await signedIn.Context.AddInitScriptAsync("""
            window.__dialogFocus = [];
            document.addEventListener('focusin', e => {
                if (e.target instanceof Element && e.target.closest('.mud-dialog-container')) {
                    window.__dialogFocus.push(e.target.id ? '#' + e.target.id : `${e.target.tagName.toLowerCase()}.${e.target.className}`);
                }
            }, true);
            """);
        await BrowserSession.SignInAsync(signedIn, ApiAppFactory.AdminEmail, ApiAppFactory.AdminPassword);
        return signedIn;
    }

    private async Task OpenAsync(string openButton, ILocator field)
    {
        await page!.EvaluateAsync("() => window.__dialogFocus.length = 0");
        await page.ClickAsync(openButton);
        await Expect(field).ToBeFocusedAsync();
    }

    /// <summary>Presses End first, so the text goes after what the field already holds.</summary>
    private static async Task TypeAsync(ILocator field, string text)
    {
        await field.PressAsync("End");
        await field.PressSequentiallyAsync(text);
        await Expect(field).ToHaveValueAsync(new System.Text.RegularExpressions.Regex(System.Text.RegularExpressions.Regex.Escape(text) + "$"));
    }

    /// <summary>"Keep editing": the question closes, the text stays and the form has the focus again (so Esc reaches it).</summary>
    private async Task KeepEditingAsync(ILocator field, string text)
    {
        await page!.ClickAsync("#confirm-cancel");
        await ExpectNoQuestionAsync();
        await Expect(field).ToHaveValueAsync(text);
        await Expect(page.Locator("[data-form-dialog]:focus, [data-form-dialog] :focus")).ToHaveCountAsync(1);
    }

    /// <summary>The form dialog's backdrop, in a corner far from the dialog.</summary>
    private Task ClickBackdropAsync() =>
        page!.Locator(".mud-dialog-container .mud-overlay").First.ClickAsync(new() { Position = new() { X = 5, Y = 5 } });

    private Task<string[]> FocusedInDialogsAsync() => page!.EvaluateAsync<string[]>("() => [...new Set(window.__dialogFocus)]");

    /// <summary>The question is open with the focus on its harmless choice, so it takes keys (Esc keeps editing).</summary>
    private Task ExpectQuestionAsync() => Expect(page!.Locator(".mud-dialog:has-text('Discard your changes?') #confirm-cancel")).ToBeFocusedAsync();

    private Task ExpectNoQuestionAsync() => Expect(page!.Locator("#confirm-ok")).ToHaveCountAsync(0);

    private async Task ExpectClosedWithoutQuestionAsync(ILocator field)
    {
        await Expect(field).ToHaveCountAsync(0);
        await ExpectNoQuestionAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (page is not null)
        {
            await page.Context.CloseAsync();
        }
        await app.DisposeAsync();
    }
}
