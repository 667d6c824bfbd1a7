using Bunit;
using EntitlementPortal.Features.Customers;
using EntitlementPortal.Features.Shared;
using EntitlementPortal.Identity;
using EntitlementPortal.Tests.Support;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using MudBlazor;

namespace EntitlementPortal.Tests.Customers;

/// <summary>A subscription that has ended shows on the list and the page, and the list filters on it (also from the URL).</summary>
public sealed class CustomerSubscriptionTests : PortalComponentTest, IAsyncLifetime
{
    private static readonly DateTime Now = new(2027, 1, 15, 12, 0, 0, DateTimeKind.Utc);

    public CustomerSubscriptionTests() : base(withDatabase: true, clock: new FakeTimeProvider(new DateTimeOffset(Now)))
    {
    }

    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    private CustomerService Customers => Services.GetRequiredService<CustomerService>();

    private int endedId;

    public async ValueTask InitializeAsync()
    {
        endedId = (await Create("Lapsed Ltd", Now.Date.AddDays(-3))).Id;
        await Create("Running Ltd", Now.Date.AddDays(30));
        await Create("Open-ended Ltd", null);
        // The subscription stops at midnight UTC of its end day: today's end has passed already.
        await Create("Ends today Ltd", Now.Date);
    }

    private Task<CustomerView> Create(string name, DateTime? endsAt) =>
        Customers.CreateAsync(TestDatabase.Administrator, new CustomerInput { Name = name, SubscriptionEndsAt = endsAt }, Ct);

    private static string[] Names(IRenderedComponent<CustomersPage> page) =>
        page.FindAll("#customers-table a.customer-link").Select(a => a.TextContent.Trim()).ToArray();

    private static string[] Ended(IRenderedComponent<CustomersPage> page) =>
        page.FindAll("#customers-table tbody tr")
            .Where(r => r.QuerySelector(".customer-subscription-ended") is not null)
            .Select(r => r.QuerySelector("a.customer-link")!.TextContent.Trim()).ToArray();

    [Fact]
    public void The_list_marks_ended_subscriptions()
    {
        SignIn("ada@example.com", Roles.AccountManager);

        var page = Render<CustomersPage>();

        page.WaitForAssertion(() => Assert.Equal(4, Names(page).Length));
        Assert.Equal(["Ends today Ltd", "Lapsed Ltd"], Ended(page));
        Assert.Equal("Subscription ended", page.Find(".customer-subscription-ended").TextContent.Trim());
    }

    [Fact]
    public void The_filter_shows_only_ended_subscriptions_and_keeps_it_in_the_url()
    {
        SignIn("ada@example.com", Roles.AccountManager);
        var page = Render<CustomersPage>();
        page.WaitForAssertion(() => Assert.Equal(4, Names(page).Length));

        page.Find("#customer-subscription-filter").Change(true);

        page.WaitForAssertion(() => Assert.Equal(["Ends today Ltd", "Lapsed Ltd"], Names(page)));
        Assert.Equal("http://localhost/?subscription=ended", Services.GetRequiredService<NavigationManager>().Uri);
    }

    [Fact]
    public async Task A_link_with_the_filters_opens_the_filtered_list()
    {
        await Customers.RevokeAsync(TestDatabase.Administrator, endedId, Ct);
        SignIn("ada@example.com", Roles.AccountManager);

        Services.GetRequiredService<NavigationManager>().NavigateTo("customers?subscription=ended&status=active");

        var page = Render<CustomersPage>();

        page.WaitForAssertion(() => Assert.Equal(["Ends today Ltd"], Names(page)));
        Assert.True(page.Find("#customer-subscription-filter").HasAttribute("checked"));
    }

    [Fact]
    public async Task The_service_filter_agrees_with_the_chip()
    {
        var ended = await Customers.ListAsync(TestDatabase.Administrator, new PageRequest(SortBy: "name"), cancellationToken: Ct, subscriptionEnded: true);
        var running = await Customers.ListAsync(TestDatabase.Administrator, new PageRequest(SortBy: "name"), cancellationToken: Ct, subscriptionEnded: false);

        Assert.Equal(["Ends today Ltd", "Lapsed Ltd"], ended.Items.Select(c => c.Name).ToArray());
        Assert.Equal(["Open-ended Ltd", "Running Ltd"], running.Items.Select(c => c.Name).ToArray());
    }

    [Fact]
    public void The_customer_page_shows_the_ended_subscription_and_that_tokens_still_work()
    {
        SignIn("ada@example.com", Roles.Administrator);
        Render<MudPopoverProvider>();
        Render<MudDialogProvider>();

        var page = Render<CustomerDetailPage>(p => p.Add(d => d.Id, endedId));

        page.WaitForElement("#customer-title");
        Assert.Equal("Subscription ended", page.Find(".customer-subscription-ended").TextContent.Trim());
        Assert.Contains("their tokens keep working", page.Find("#customer-subscription-notice").TextContent);
    }
}
