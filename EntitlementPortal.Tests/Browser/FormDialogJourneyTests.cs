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
/// Form dialogs in a real browser: the first field has the focus from the start and keeps it, and Esc and the backdrop
/// close a dialog nothing was typed in and ask first otherwise, also after a click on the dialog's blank edge and
/// not when Esc only closes an open list.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class FormDialogJourneyTests(BrowserFixture browser, FormDialogApp shared)
    : FormDialogJourneyTest(browser, shared), IClassFixture<FormDialogApp>
{
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
        path = path.Replace("{token}", TokenId.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
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
        Browser.AssertNoCspViolations(page);
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
        Browser.AssertNoCspViolations(page);
    }

    [Fact]
    public async Task Esc_with_a_list_open_in_the_dialog_closes_the_list_and_leaves_the_dialog_open()
    {
        // The customer "Acme Corp" is the shared portal's.
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
        Browser.AssertNoCspViolations(page);
    }
}
