using EntitlementPortal.Features.Customers;
using EntitlementPortal.Features.Repositories;
using EntitlementPortal.Features.Shared;
using EntitlementPortal.Features.Tokens;
using EntitlementPortal.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace EntitlementPortal.Tests.Tokens.Pages;

[Collection(BrowserCollection.Name)]
public sealed class TokenBrowserJourneyTests(BrowserFixture browser) : IAsyncDisposable
{
    private const string Email = "ops@example.com";
    private const string Password = "Br0wser-secret!";
    private readonly KestrelPortalFactory app = new()
    {
        Settings =
        {
            ["Bootstrap:AdminEmail"] = Email,
            ["Bootstrap:AdminPassword"] = Password,
        },
    };

    private IPage? page;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Create_a_restricted_token_for_a_customer_copy_its_url_disable_and_refresh_it()
    {
        page = await browser.NewPageAsync(app);
        using (var scope = app.Services.CreateScope())
        {
            await scope.ServiceProvider.GetRequiredService<RepositoryService>().CreateAsync(
                Actor.System, new RepositoryInput { Slug = "acme", Name = "Acme builds" }, Ct);
            await scope.ServiceProvider.GetRequiredService<CustomerService>().CreateAsync(
                Actor.System, new CustomerInput { Name = "Acme Ltd" }, Ct);
        }
        await page.GotoAsync("/Account/Login");
        await page.FillAsync("#Input\\.Email", Email);
        await page.FillAsync("#Input\\.Password", Password);
        await page.ClickAsync("#sign-in");
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/");

        await page.GotoAsync("/repositories/acme");
        await page.Locator("#render-state[data-interactive='true']").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        await page.ClickAsync("#new-token");
        await page.FillAsync("#token-name", "Acme CI");
        await page.FillAsync("#token-customer", "Acme");
        await page.Locator(".mud-popover-open .mud-list-item:has-text('Acme Ltd')").ClickAsync();
        // A person sees the pick land and its list close before going on to the next field.
        await page.WaitForFunctionAsync("() => document.querySelector('#token-customer')?.value === 'Acme Ltd'");
        await page.Locator(".mud-popover-open .mud-list-item").WaitForAsync(new() { State = WaitForSelectorState.Detached });
        // Each restriction shows up in the summary as it is typed; on a busy machine the circuit answers late.
        await FillAndSeeInSummaryAsync("#token-max-bandwidth", "5", "at most 5 GB");
        await FillAndSeeInSummaryAsync("#token-networks", "203.0.113.0/24", "203.0.113.0/24");
        await FillAndSeeInSummaryAsync("#token-package-query", "name:acme-*", "name:acme-*");
        await page.Locator("#token-summary:has-text('at most 5 GB'):has-text('203.0.113.0/24'):has-text('name:acme-*')").WaitForAsync();
        Assert.Equal("5", await page.InputValueAsync("#token-max-bandwidth"));
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(AppContext.BaseDirectory, "token-form.png"), FullPage = true });
        await page.ClickAsync("#save-token");

        await page.WaitForURLAsync("**/repositories/acme/tokens/*?created=true");
        await page.Locator("#token-notice").WaitForAsync();
        // The banner stays; the address loses ?created=true so a reload does not announce the creation again.
        // Read from the page itself: the address is replaced in place (history.replaceState), not navigated to.
        await page.WaitForFunctionAsync("() => location.search === ''");
        var secret = await page.InnerTextAsync("#token-secret-value");
        Assert.True(TokenSecret.IsGenerated(secret), secret);
        Assert.Equal($"{app.RootUri}dl/{secret}/acme/", (await page.InnerTextAsync("#snippet-index")).Trim());
        // No package yet: the page says so rather than offering a command with blanks to fill in.
        Assert.Contains("may download no file yet", await page.InnerTextAsync("#token-no-files"));
        Assert.Equal("Acme Ltd", (await page.InnerTextAsync("#token-customer-value")).Trim());
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(AppContext.BaseDirectory, "token-detail.png"), FullPage = true });

        // Copy the index URL as a vendor would, and read back what landed on the clipboard.
        await page.Context.GrantPermissionsAsync(["clipboard-read", "clipboard-write"]);
        await page.ClickAsync("#snippet-index-copy");
        // The clipboard is the browser's, shared with earlier tests: read it only once this copy has happened.
        await page.GetByText("Download page copied to the clipboard.").WaitForAsync();
        var copied = await page.EvaluateAsync<string>("() => navigator.clipboard.readText()");
        Assert.Equal($"{app.RootUri}dl/{secret}/acme/", copied);

        await page.ClickAsync("#disable-token");
        await page.Locator("#enable-token").WaitForAsync();
        Assert.Equal("Disabled", (await page.InnerTextAsync(".token-status")).Trim());

        await page.ClickAsync("#refresh-token");
        await page.ClickAsync("#token-refresh-confirm");
        await page.Locator($"#token-secret-value:not(:has-text('{secret}'))").WaitForAsync();
        var refreshed = await page.InnerTextAsync("#token-secret-value");
        Assert.True(TokenSecret.IsGenerated(refreshed));
        Assert.NotEqual(secret, refreshed);

        await page.ClickAsync("#back-to-repository");
        await page.Locator("a.token-link:has-text('Acme CI')").WaitForAsync();
        Assert.Equal("0 active tokens, 1 disabled", (await page.InnerTextAsync("#token-count")).Trim());
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(AppContext.BaseDirectory, "token-list.png"), FullPage = true });
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

    private async Task FillAndSeeInSummaryAsync(string field, string value, string summaryText)
    {
        await page!.FillAsync(field, value);
        try
        {
            await page.Locator($"#token-summary:has-text('{summaryText}')").WaitForAsync(new() { Timeout = 30_000 });
        }
        catch (TimeoutException)
        {
            var summary = await page.InnerTextAsync("#token-summary");
            var fields = string.Join(", ", await Task.WhenAll(new[] { "#token-max-bandwidth", "#token-networks", "#token-package-query" }
                .Select(async f => $"{f}='{await page.InputValueAsync(f)}'")));
            Assert.Fail($"After filling {field} with '{value}' the summary never said '{summaryText}'. Summary: '{summary}'. Fields: {fields}.");
        }
    }
}
