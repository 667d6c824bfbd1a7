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
/// A signed-in browser page of its own for each form dialog journey, on the portal its class shares
/// (<see cref="FormDialogApp"/>), and the steps the journeys share: open a dialog, type, press Esc or click the
/// backdrop, answer the "Discard your changes?" question.
/// </summary>
public abstract class FormDialogJourneyTest(BrowserFixture browser, FormDialogApp shared) : IAsyncDisposable
{
    protected readonly ApiAppFactory app = shared.App;
    protected IPage? page;

    protected BrowserFixture Browser => browser;

    /// <summary>The id of the token "Acme CI" of the repository "acme".</summary>
    protected int TokenId => shared.TokenId;

    protected async Task<IPage> SignedInPageAsync()
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

    protected async Task OpenAsync(string openButton, ILocator field)
    {
        await page!.EvaluateAsync("() => window.__dialogFocus.length = 0");
        await page.ClickAsync(openButton);
        await Expect(field).ToBeFocusedAsync();
    }

    /// <summary>Presses End first, so the text goes after what the field already holds.</summary>
    protected static async Task TypeAsync(ILocator field, string text)
    {
        await field.PressAsync("End");
        await field.PressSequentiallyAsync(text);
        await Expect(field).ToHaveValueAsync(new System.Text.RegularExpressions.Regex(System.Text.RegularExpressions.Regex.Escape(text) + "$"));
    }

    /// <summary>"Keep editing": the question closes, the text stays and the form has the focus again (so Esc reaches it).</summary>
    protected async Task KeepEditingAsync(ILocator field, string text)
    {
        await page!.ClickAsync("#confirm-cancel");
        await ExpectNoQuestionAsync();
        await Expect(field).ToHaveValueAsync(text);
        await Expect(page.Locator("[data-form-dialog]:focus, [data-form-dialog] :focus")).ToHaveCountAsync(1);
    }

    /// <summary>The form dialog's backdrop, in a corner far from the dialog.</summary>
    protected Task ClickBackdropAsync() =>
        page!.Locator(".mud-dialog-container .mud-overlay").First.ClickAsync(new() { Position = new() { X = 5, Y = 5 } });

    protected Task<string[]> FocusedInDialogsAsync() => page!.EvaluateAsync<string[]>("() => [...new Set(window.__dialogFocus)]");

    /// <summary>The question is open with the focus on its harmless choice, so it takes keys (Esc keeps editing).</summary>
    protected Task ExpectQuestionAsync() => Expect(page!.Locator(".mud-dialog:has-text('Discard your changes?') #confirm-cancel")).ToBeFocusedAsync();

    protected Task ExpectNoQuestionAsync() => Expect(page!.Locator("#confirm-ok")).ToHaveCountAsync(0);

    protected async Task ExpectClosedWithoutQuestionAsync(ILocator field)
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
        GC.SuppressFinalize(this);
    }
}
