using Bunit;
using EntitlementPortal.Features.Customers;
using EntitlementPortal.Features.Shared;
using EntitlementPortal.Identity;
using EntitlementPortal.Tests.Support;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace EntitlementPortal.Tests.Customers;

public sealed class CustomerDetailPageTests : PortalComponentTest
{
    public CustomerDetailPageTests() : base(withDatabase: true)
    {
    }

    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    private CustomerService Customers => Services.GetRequiredService<CustomerService>();

    private Task<CustomerView> CreateAcmeAsync() => Customers.CreateAsync(TestDatabase.Administrator, new CustomerInput
    {
        Name = "Acme Ltd",
        Email = "ops@acme.example",
        Company = "Acme",
        ExternalRef = "cus_1",
        LicenseKey = "LIC-ACME",
        Plan = "Gold",
        SubscriptionEndsAt = new DateTime(2027, 3, 31, 0, 0, 0, DateTimeKind.Utc),
        Notes = "Pays yearly.\nCall before renewal.",
        MetadataJson = "{\"seats\":10,\"city\":\"München\"}",
    }, Ct);

    private (IRenderedComponent<CustomerDetailPage> Page, IRenderedComponent<MudDialogProvider> Dialogs) Open(int id, string role = Roles.Administrator)
    {
        SignIn("ada@example.com", role);
        Render<MudPopoverProvider>();
        var dialogs = Render<MudDialogProvider>();
        var page = Render<CustomerDetailPage>(p => p.Add(d => d.Id, id));
        page.WaitForElement("#customer-title");
        return (page, dialogs);
    }

    private static string Text(IRenderedComponent<CustomerDetailPage> page, string selector) =>
        page.Find(selector).TextContent.Trim();

    [Fact]
    public async Task Shows_every_field_of_the_customer()
    {
        var acme = await CreateAcmeAsync();

        var (page, _) = Open(acme.Id, Roles.AccountManager);

        Assert.Equal("Acme Ltd", Text(page, "#customer-title"));
        Assert.Equal("Acme", Text(page, "#customer-company"));
        Assert.Equal("ops@acme.example", Text(page, "#customer-email"));
        Assert.Equal("cus_1", Text(page, "#customer-external-ref"));
        Assert.Equal("LIC-ACME", Text(page, "#customer-license-key"));
        Assert.Equal("Gold", Text(page, "#customer-plan"));
        Assert.Equal("2027-03-31", Text(page, "#customer-subscription-ends"));
        Assert.Equal("Pays yearly.\nCall before renewal.", Text(page, "#customer-notes"));
        Assert.Equal("{\n  \"seats\": 10,\n  \"city\": \"München\"\n}", Text(page, "#customer-metadata").ReplaceLineEndings("\n"));
        Assert.Equal("Active", Text(page, "#customer-status .customer-status"));
        Assert.Empty(page.FindAll("#customer-revoked-at"));
        Assert.Equal(acme.CreatedAt.ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture) + " UTC",
            Text(page, "#customer-created-at"));
        Assert.EndsWith(" UTC", Text(page, "#customer-updated-at"));
        page.WaitForAssertion(() => Assert.Equal("No tokens yet.", Text(page, "#customer-tokens #tokens-empty")));
    }

    [Fact]
    public async Task Empty_fields_read_as_not_set()
    {
        var bare = await Customers.CreateAsync(TestDatabase.Administrator, new CustomerInput { Name = "Globex" }, Ct);

        var (page, _) = Open(bare.Id);

        Assert.Equal("—", Text(page, "#customer-email"));
        Assert.Equal("—", Text(page, "#customer-subscription-ends"));
        Assert.Equal("No notes.", Text(page, "#customer-notes"));
        Assert.Equal("No metadata.", Text(page, "#customer-metadata"));
    }

    [Fact]
    public void An_unknown_customer_shows_not_found_instead_of_failing()
    {
        SignIn("ada@example.com", Roles.Administrator);

        var page = Render<CustomerDetailPage>(p => p.Add(d => d.Id, 4242));

        page.WaitForAssertion(() => Assert.Equal("There is no customer 4242: it may have been deleted.", Text(page, "#customer-problem")));
        Assert.Empty(page.FindAll("#edit-customer"));
        Assert.NotNull(page.Find("#back-to-customers"));
    }

    [Fact]
    public async Task An_account_manager_sees_no_actions()
    {
        var acme = await CreateAcmeAsync();
        await Customers.RevokeAsync(TestDatabase.Administrator, acme.Id, Ct);

        var (page, _) = Open(acme.Id, Roles.AccountManager);

        Assert.Empty(page.FindAll("#edit-customer"));
        Assert.Empty(page.FindAll("#revoke-customer"));
        Assert.Empty(page.FindAll("#reinstate-customer"));
        Assert.Empty(page.FindAll("#delete-customer"));
    }

    [Fact]
    public async Task A_token_manager_sees_revoke_but_not_edit_or_delete()
    {
        var acme = await CreateAcmeAsync();

        var (page, _) = Open(acme.Id, Roles.TokenManager);

        Assert.NotNull(page.Find("#revoke-customer"));
        Assert.Empty(page.FindAll("#edit-customer"));
        Assert.Empty(page.FindAll("#delete-customer"));
        Assert.Empty(page.FindAll("#reinstate-customer"));
    }

    [Fact]
    public async Task Revoking_asks_for_confirmation_and_shows_the_revoked_status()
    {
        var acme = await CreateAcmeAsync();
        var (page, dialogs) = Open(acme.Id);

        page.Find("#revoke-customer").Click();

        dialogs.WaitForElement("#confirm-ok");
        Assert.Contains("Every token of this customer will be refused", dialogs.Find(".mud-dialog").TextContent);
        Assert.Equal(CustomerStatus.Active, (await Customers.GetAsync(TestDatabase.Administrator, acme.Id, Ct)).Status);

        dialogs.Find("#confirm-ok").Click();

        page.WaitForAssertion(() => Assert.Equal("Revoked", Text(page, "#customer-status .customer-status")));
        Assert.Contains("mud-chip-color-error", page.Find("#customer-status .customer-status").ClassName);
        var stored = await Customers.GetAsync(TestDatabase.Administrator, acme.Id, Ct);
        Assert.Equal(CustomerStatus.Revoked, stored.Status);
        Assert.Equal("since " + EntitlementPortal.Components.Shared.Display.Utc(stored.RevokedAt), Text(page, "#customer-revoked-at"));
        Assert.NotNull(page.Find("#reinstate-customer"));
        Assert.Empty(page.FindAll("#revoke-customer"));
    }

    [Fact]
    public async Task Cancelling_the_revocation_changes_nothing()
    {
        var acme = await CreateAcmeAsync();
        var (page, dialogs) = Open(acme.Id);

        page.Find("#revoke-customer").Click();
        dialogs.WaitForElement("#confirm-cancel").Click();

        dialogs.WaitForAssertion(() => Assert.Empty(dialogs.FindAll("#confirm-ok")));
        Assert.Equal("Active", Text(page, "#customer-status .customer-status"));
        Assert.Equal(CustomerStatus.Active, (await Customers.GetAsync(TestDatabase.Administrator, acme.Id, Ct)).Status);
    }

    [Fact]
    public async Task Reinstating_returns_the_customer_to_active()
    {
        var acme = await CreateAcmeAsync();
        await Customers.RevokeAsync(TestDatabase.Administrator, acme.Id, Ct);
        var (page, dialogs) = Open(acme.Id);
        Assert.Equal("Revoked", Text(page, "#customer-status .customer-status"));

        page.Find("#reinstate-customer").Click();
        dialogs.WaitForElement("#confirm-ok").Click();

        page.WaitForAssertion(() => Assert.Equal("Active", Text(page, "#customer-status .customer-status")));
        Assert.Empty(page.FindAll("#customer-revoked-at"));
        Assert.NotNull(page.Find("#revoke-customer"));
        var stored = await Customers.GetAsync(TestDatabase.Administrator, acme.Id, Ct);
        Assert.Equal(CustomerStatus.Active, stored.Status);
        Assert.Null(stored.RevokedAt);
    }

    [Fact]
    public async Task Deleting_needs_the_name_typed_then_removes_the_customer_and_returns_to_the_list()
    {
        var acme = await CreateAcmeAsync();
        var (page, dialogs) = Open(acme.Id);

        page.Find("#delete-customer").Click();
        dialogs.WaitForElement("#confirm-text");
        Assert.True(dialogs.Find("#confirm-ok").HasAttribute("disabled"));
        dialogs.Find("#confirm-text").Input("Acme");
        dialogs.WaitForAssertion(() => Assert.True(dialogs.Find("#confirm-ok").HasAttribute("disabled")));
        dialogs.Find("#confirm-text").Input("Acme Ltd");
        dialogs.WaitForAssertion(() => Assert.False(dialogs.Find("#confirm-ok").HasAttribute("disabled")));

        dialogs.Find("#confirm-ok").Click();

        page.WaitForAssertion(() =>
            Assert.Equal("http://localhost/customers", Services.GetRequiredService<NavigationManager>().Uri));
        await Assert.ThrowsAsync<NotFoundException>(() => Customers.GetAsync(TestDatabase.Administrator, acme.Id, Ct));
    }

    [Fact]
    public async Task A_customer_deleted_meanwhile_shows_not_found_when_acted_on()
    {
        var acme = await CreateAcmeAsync();
        var (page, dialogs) = Open(acme.Id);
        await Customers.DeleteAsync(TestDatabase.Administrator, acme.Id, Ct);

        page.Find("#revoke-customer").Click();
        dialogs.WaitForElement("#confirm-ok").Click();

        page.WaitForAssertion(() => Assert.Equal($"There is no customer {acme.Id}: it may have been deleted.", Text(page, "#customer-problem")));
    }
}
