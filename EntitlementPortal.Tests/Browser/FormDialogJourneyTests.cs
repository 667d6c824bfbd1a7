using EntitlementPortal.Tests.Support;
using Microsoft.Playwright;

namespace EntitlementPortal.Tests.Browser;

/// <summary>What only a browser shows about form dialogs: real focus, the Esc key and a click beside the dialog.</summary>
[Collection(BrowserCollection.Name)]
public sealed class FormDialogJourneyTests(BrowserFixture browser) : IAsyncDisposable
{
    private const string Email = "forms@example.com";
    private const string Password = "F0rms-secret!";
    private readonly KestrelPortalFactory app = new()
    {
        Settings =
        {
            ["Bootstrap:AdminEmail"] = Email,
            ["Bootstrap:AdminPassword"] = Password,
        },
    };

    private IPage? page;

    [Fact(Skip = "Open defect: in Chromium, Esc pressed right after the dialog opens sometimes never reaches the form "
        + "(the dialog stays open) and the untouched name field then shows an error; bUnit covers the backdrop and the dirty check.")]
    public async Task Esc_and_the_backdrop_close_the_repository_form_but_ask_first_once_something_was_typed()
    {
        page = await browser.NewPageAsync(app);
        await BrowserSession.SignInAsync(page, Email, Password);
        await page.GotoAsync("/repositories");
        await BrowserSession.WaitForInteractiveAsync(page);

        // Nothing typed: Esc closes at once, and the name field had the focus.
        await page.ClickAsync("#new-repository");
        await page.WaitForFunctionAsync("() => document.activeElement?.id === 'repository-name'");
        Assert.Empty(await page.Locator(".mud-input-helper-text.mud-input-error").AllInnerTextsAsync());
        await page.Keyboard.PressAsync("Escape");
        await page.Locator("#repository-name").WaitForAsync(new() { State = WaitForSelectorState.Detached });

        // Typed: Esc asks; keeping the changes keeps the text and the suggested slug.
        await page.ClickAsync("#new-repository");
        await page.WaitForFunctionAsync("() => document.activeElement?.id === 'repository-name'");
        await page.Keyboard.TypeAsync("Acme Builds");
        await page.WaitForFunctionAsync("() => document.getElementById('repository-slug')?.value === 'acme-builds'");
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.PressAsync("Escape");
        await page.GetByText("Discard your changes?").WaitForAsync();
        await page.ClickAsync("#confirm-cancel");
        await page.GetByText("Discard your changes?").WaitForAsync(new() { State = WaitForSelectorState.Detached });
        Assert.Equal("Acme Builds", await page.InputValueAsync("#repository-name"));
        Assert.Empty(await page.Locator(".mud-input-helper-text.mud-input-error").AllInnerTextsAsync());

        // A click on the backdrop asks too; discarding closes the form.
        await page.Locator(".mud-overlay-dialog").First.ClickAsync(new() { Position = new() { X = 5, Y = 5 } });
        await page.GetByText("Discard your changes?").WaitForAsync();
        await page.ClickAsync("#confirm-ok");
        await page.Locator("#repository-name").WaitForAsync(new() { State = WaitForSelectorState.Detached });
        Assert.Equal(0, await page.Locator("#repository-name").CountAsync());
        browser.AssertNoCspViolations(page);
    }

    public async ValueTask DisposeAsync()
    {
        // An open page keeps its circuit's WebSocket open, and the server would wait for it when stopping.
        if (page is not null)
        {
            await page.Context.CloseAsync();
        }
        await app.DisposeAsync();
    }
}
