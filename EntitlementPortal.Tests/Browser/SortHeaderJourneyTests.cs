using EntitlementPortal.Tests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace EntitlementPortal.Tests.Browser;

/// <summary>Sort headers tell assistive technology how the list is sorted (aria-sort), from the first render on.</summary>
[Collection(BrowserCollection.Name)]
public sealed class SortHeaderJourneyTests(BrowserFixture browser) : IAsyncDisposable
{
    private readonly ApiAppFactory app = new();
    private IPage? page;

    [Fact]
    public async Task The_column_the_list_is_sorted_by_reads_its_direction_and_the_other_sortable_columns_read_none()
    {
        page = await browser.NewPageAsync(app);
        await BrowserSession.SignInAsync(page, ApiAppFactory.AdminEmail, ApiAppFactory.AdminPassword);

        // The list's default sort, before anything was clicked.
        await BrowserSession.OpenAsync(page, "/customers", "Customers");
        await ExpectSortAsync("#customers-table", ("Name", "ascending"), ("Company", "none"), ("Subscription ends", "none"), ("Status", "none"));
        await Expect(Header("#customers-table", "Email")).Not.ToHaveAttributeAsync("aria-sort", new System.Text.RegularExpressions.Regex(".*"));

        // A sort from the address.
        await BrowserSession.OpenAsync(page, "/customers?sort=company&desc=true", "Customers");
        await ExpectSortAsync("#customers-table", ("Name", "none"), ("Company", "descending"), ("Subscription ends", "none"), ("Status", "none"));

        // A click, and the keyboard.
        await Header("#customers-table", "Status").Locator(".mud-table-sort-label").ClickAsync();
        await ExpectSortAsync("#customers-table", ("Name", "none"), ("Company", "none"), ("Subscription ends", "none"), ("Status", "ascending"));
        await Header("#customers-table", "Status").Locator(".mud-table-sort-label").PressAsync("Enter");
        await ExpectSortAsync("#customers-table", ("Name", "none"), ("Company", "none"), ("Subscription ends", "none"), ("Status", "descending"));

        // Another list, sorted descending from the address.
        await BrowserSession.OpenAsync(page, "/users?sort=lastSignInAt&desc=true", "Users");
        await ExpectSortAsync("#users-table", ("Email", "none"), ("Name", "none"), ("Last sign-in", "descending"));
        browser.AssertNoCspViolations(page);
    }

    private ILocator Header(string table, string title) =>
        page!.Locator($"{table} thead th").Filter(new() { HasText = title });

    private async Task ExpectSortAsync(string table, params (string Title, string Sort)[] headers)
    {
        foreach (var (title, sort) in headers)
        {
            await Expect(Header(table, title)).ToHaveAttributeAsync("aria-sort", sort);
        }
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
