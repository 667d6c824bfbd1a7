using Bunit;
using EntitlementPortal.Features.Customers;
using EntitlementPortal.Identity;
using EntitlementPortal.Tests.Support;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace EntitlementPortal.Tests.Customers;

public sealed class CustomersPageTests : PortalComponentTest
{
    public CustomersPageTests() : base(withDatabase: true)
    {
    }

    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    private CustomerService Customers => Services.GetRequiredService<CustomerService>();

    private static string[] Names(IRenderedComponent<CustomersPage> page) =>
        page.FindAll("#customers-table a.customer-link").Select(a => a.TextContent.Trim()).ToArray();

    [Fact]
    public void Without_customers_the_list_says_so()
    {
        SignIn("ada@example.com", Roles.Administrator);

        var page = Render<CustomersPage>();

        page.WaitForAssertion(() => Assert.Equal("No customers yet.", page.Find("#customers-empty").TextContent.Trim()));
        Assert.Empty(Names(page));
    }

    [Fact]
    public async Task The_list_shows_each_customer_with_a_link_to_its_page()
    {
        var acme = await Customers.CreateAsync(TestDatabase.Administrator, new CustomerInput
        {
            Name = "Acme Ltd", Company = "Acme", Email = "ops@acme.example", ExternalRef = "cus_1", Plan = "Gold",
            SubscriptionEndsAt = new DateTime(2027, 3, 31, 0, 0, 0, DateTimeKind.Utc),
        }, Ct);
        var globex = await Customers.CreateAsync(TestDatabase.Administrator, new CustomerInput { Name = "Globex" }, Ct);
        await Customers.RevokeAsync(TestDatabase.Administrator, globex.Id, Ct);
        SignIn("ada@example.com", Roles.AccountManager);

        var page = Render<CustomersPage>();

        page.WaitForAssertion(() => Assert.Equal(["Acme Ltd", "Globex"], Names(page)));
        var acmeRow = page.FindAll("#customers-table tbody tr")[0].TextContent;
        Assert.Contains("Acme", acmeRow);
        Assert.Contains("ops@acme.example", acmeRow);
        Assert.Contains("cus_1", acmeRow);
        Assert.Contains("Gold", acmeRow);
        Assert.Contains("2027-03-31", acmeRow);
        Assert.Contains("Active", acmeRow);
        Assert.Equal($"customers/{acme.Id}", page.FindAll("a.customer-link")[0].GetAttribute("href"));
        var revokedChip = page.FindAll("#customers-table tbody tr")[1].QuerySelector(".customer-status")!;
        Assert.Equal("Revoked", revokedChip.TextContent.Trim());
        Assert.Contains("mud-chip-color-error", revokedChip.ClassName);
    }

    [Fact]
    public async Task Searching_narrows_the_list_by_name_email_company_or_reference()
    {
        await Customers.CreateAsync(TestDatabase.Administrator, new CustomerInput { Name = "Acme Ltd", Email = "ops@acme.example" }, Ct);
        await Customers.CreateAsync(TestDatabase.Administrator, new CustomerInput { Name = "Globex", Company = "Globex Corp", ExternalRef = "cus_42" }, Ct);
        SignIn("ada@example.com", Roles.Administrator);
        var page = Render<CustomersPage>();
        page.WaitForAssertion(() => Assert.Equal(2, Names(page).Length));

        page.Find("#customer-search").Input("cus_42");
        page.WaitForAssertion(() => Assert.Equal(["Globex"], Names(page)), TimeSpan.FromSeconds(5));

        page.Find("#customer-search").Input("ACME.EXAMPLE");
        page.WaitForAssertion(() => Assert.Equal(["Acme Ltd"], Names(page)), TimeSpan.FromSeconds(5));

        page.Find("#customer-search").Input("nobody");
        page.WaitForAssertion(() =>
            Assert.Equal("No customers match this search or filter.", page.Find("#customers-empty").TextContent.Trim()), TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task The_status_filter_shows_active_or_revoked_customers()
    {
        await Customers.CreateAsync(TestDatabase.Administrator, new CustomerInput { Name = "Acme Ltd" }, Ct);
        var globex = await Customers.CreateAsync(TestDatabase.Administrator, new CustomerInput { Name = "Globex" }, Ct);
        await Customers.RevokeAsync(TestDatabase.Administrator, globex.Id, Ct);
        SignIn("ada@example.com", Roles.Administrator);
        var page = Render<CustomersPage>();
        page.WaitForAssertion(() => Assert.Equal(2, Names(page).Length));

        ClickFilter(page, "Revoked");
        page.WaitForAssertion(() => Assert.Equal(["Globex"], Names(page)));

        ClickFilter(page, "Active");
        page.WaitForAssertion(() => Assert.Equal(["Acme Ltd"], Names(page)));

        ClickFilter(page, "All");
        page.WaitForAssertion(() => Assert.Equal(["Acme Ltd", "Globex"], Names(page)));
    }

    [Fact]
    public async Task Sorting_by_company_asks_the_database_for_that_order()
    {
        await Customers.CreateAsync(TestDatabase.Administrator, new CustomerInput { Name = "Acme Ltd", Company = "Zeta" }, Ct);
        await Customers.CreateAsync(TestDatabase.Administrator, new CustomerInput { Name = "Globex", Company = "Alpha" }, Ct);
        SignIn("ada@example.com", Roles.Administrator);
        var page = Render<CustomersPage>();
        page.WaitForAssertion(() => Assert.Equal(["Acme Ltd", "Globex"], Names(page)));

        page.FindAll("#customers-table th .mud-table-sort-label").Single(l => l.TextContent.Contains("Company")).Click();

        page.WaitForAssertion(() => Assert.Equal(["Globex", "Acme Ltd"], Names(page)));
    }

    [Fact]
    public async Task Searching_from_a_later_page_starts_again_at_the_first_page()
    {
        for (var i = 1; i <= 30; i++)
        {
            await Customers.CreateAsync(TestDatabase.Administrator, new CustomerInput { Name = $"Customer {i:00}" }, Ct);
            await Customers.CreateAsync(TestDatabase.Administrator, new CustomerInput { Name = $"Prospect {i:00}" }, Ct);
        }
        SignIn("ada@example.com", Roles.Administrator);
        Render<MudPopoverProvider>();
        var page = Render<CustomersPage>();
        page.WaitForAssertion(() => Assert.Equal(25, Names(page).Length));
        page.Find("button[aria-label='Next page']").Click();
        page.WaitForAssertion(() => Assert.Equal("Customer 26", Names(page)[0]));

        page.Find("#customer-search").Input("Prospect");

        page.WaitForAssertion(() => Assert.Equal("Prospect 01", Names(page)[0]), TimeSpan.FromSeconds(5));
        Assert.Equal(25, Names(page).Length);
    }

    [Fact]
    public async Task Page_sort_search_and_filter_live_in_the_address()
    {
        for (var i = 1; i <= 30; i++)
        {
            await Customers.CreateAsync(TestDatabase.Administrator, new CustomerInput { Name = $"Customer {i:00}" }, Ct);
        }
        SignIn("ada@example.com", Roles.Administrator);
        Render<MudPopoverProvider>();
        var navigation = Services.GetRequiredService<NavigationManager>();
        var page = Render<CustomersPage>();
        page.WaitForAssertion(() => Assert.Equal(25, Names(page).Length));
        Assert.DoesNotContain("?", navigation.Uri);

        page.Find("button[aria-label='Next page']").Click();
        page.WaitForAssertion(() => Assert.EndsWith("?page=2", navigation.Uri));

        page.FindAll("#customers-table th .mud-table-sort-label").Single(l => l.TextContent.Contains("Company")).Click();
        page.WaitForAssertion(() => Assert.Contains("sort=company", navigation.Uri));

        page.Find("#customer-search").Input("Customer 1");
        page.WaitForAssertion(() => Assert.Contains("q=Customer%201", navigation.Uri), TimeSpan.FromSeconds(5));
        Assert.DoesNotContain("page=", navigation.Uri);

        ClickFilter(page, "Revoked");
        page.WaitForAssertion(() => Assert.Contains("status=revoked", navigation.Uri));
    }

    [Fact]
    public async Task An_address_with_page_sort_search_and_filter_opens_that_view()
    {
        for (var i = 1; i <= 30; i++)
        {
            await Customers.CreateAsync(TestDatabase.Administrator, new CustomerInput { Name = $"Customer {i:00}" }, Ct);
        }
        var revoked = await Customers.CreateAsync(TestDatabase.Administrator, new CustomerInput { Name = "Customer 99" }, Ct);
        await Customers.RevokeAsync(TestDatabase.Administrator, revoked.Id, Ct);
        SignIn("ada@example.com", Roles.Administrator);
        Services.GetRequiredService<NavigationManager>().NavigateTo("customers?q=Customer&status=active&sort=name&desc=true&pageSize=10&page=2");

        var page = Render<CustomersPage>();

        // Active customers named "Customer", newest name first, ten per page, second page: 20 down to 11.
        page.WaitForAssertion(() => Assert.Equal(Enumerable.Range(11, 10).Reverse().Select(i => $"Customer {i:00}"), Names(page)));
        Assert.Equal("Customer", page.Find("#customer-search").GetAttribute("value"));
    }

    [Fact]
    public async Task Unreadable_values_in_the_address_fall_back_to_the_defaults()
    {
        await Customers.CreateAsync(TestDatabase.Administrator, new CustomerInput { Name = "Acme Ltd" }, Ct);
        SignIn("ada@example.com", Roles.Administrator);
        Services.GetRequiredService<NavigationManager>().NavigateTo("customers?page=abc&pageSize=100000&status=%27%3B--&desc=maybe");

        var page = Render<CustomersPage>();

        page.WaitForAssertion(() => Assert.Equal(["Acme Ltd"], Names(page)));
    }

    [Fact]
    public void An_account_manager_sees_no_new_customer_button()
    {
        SignIn("ada@example.com", Roles.AccountManager);

        var page = Render<CustomersPage>();

        page.WaitForAssertion(() => Assert.NotNull(page.Find("#customers-empty")));
        Assert.Empty(page.FindAll("#new-customer"));
    }

    [Theory]
    [InlineData(Roles.Administrator)]
    [InlineData(Roles.TokenManager)]
    public void Administrators_and_token_managers_can_create_customers(string role)
    {
        SignIn("ada@example.com", role);

        var page = Render<CustomersPage>();

        Assert.Equal("New customer", page.Find("#new-customer").TextContent.Trim());
    }

    private static void ClickFilter(IRenderedComponent<CustomersPage> page, string label) =>
        page.FindAll("#customer-status-filter .mud-toggle-item").Single(i => i.TextContent.Trim() == label).Click();
}
