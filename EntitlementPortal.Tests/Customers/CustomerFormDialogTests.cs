using AngleSharp.Dom;
using Bunit;
using EntitlementPortal.Features.Customers;
using EntitlementPortal.Features.Shared;
using EntitlementPortal.Identity;
using EntitlementPortal.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace EntitlementPortal.Tests.Customers;

public sealed class CustomerFormDialogTests : PortalComponentTest
{
    public CustomerFormDialogTests() : base(withDatabase: true)
    {
    }

    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    private CustomerService Customers => Services.GetRequiredService<CustomerService>();

    private async Task<int> StoredCount() =>
        (await Customers.ListAsync(TestDatabase.Administrator, new PageRequest(), cancellationToken: Ct)).Total;

    /// <summary>The customers page with the dialog for a new customer open.</summary>
    private (IRenderedComponent<CustomersPage> Page, IRenderedComponent<MudDialogProvider> Dialogs) OpenNewCustomerForm()
    {
        SignIn("ada@example.com", Roles.Administrator);
        Render<MudPopoverProvider>();
        var dialogs = Render<MudDialogProvider>();
        var page = Render<CustomersPage>();
        page.Find("#new-customer").Click();
        dialogs.WaitForElement("#customer-name");
        return (page, dialogs);
    }

    private static string FieldError(IRenderedComponent<MudDialogProvider> dialogs, string fieldId)
    {
        var control = dialogs.Find(fieldId).Closest(".mud-input-control")!;
        Assert.Contains("mud-input-error", control.ClassList);
        return control.QuerySelector(".mud-input-helper-text")!.TextContent.Trim();
    }

    [Fact]
    public void The_form_offers_every_customer_field()
    {
        var (_, dialogs) = OpenNewCustomerForm();

        foreach (var id in new[]
                 {
                     "#customer-name", "#customer-company", "#customer-email", "#customer-external-ref", "#customer-license-key",
                     "#customer-plan", "#customer-subscription-ends", "#customer-notes", "#customer-metadata",
                 })
        {
            Assert.NotNull(dialogs.Find(id));
        }
        Assert.Equal("textarea", dialogs.Find("#customer-notes").TagName, ignoreCase: true);
        Assert.Equal("textarea", dialogs.Find("#customer-metadata").TagName, ignoreCase: true);
    }

    [Fact]
    public async Task An_invalid_email_and_non_object_metadata_are_shown_and_nothing_is_stored()
    {
        var (_, dialogs) = OpenNewCustomerForm();
        dialogs.Find("#customer-name").Change("Acme Ltd");
        dialogs.Find("#customer-email").Change("not-an-email");
        dialogs.Find("#customer-metadata").Input("[1]");

        dialogs.Find("#save-customer").Click();

        dialogs.WaitForAssertion(() => Assert.Equal("Email is not a valid email address.", FieldError(dialogs, "#customer-email")));
        Assert.Equal("Metadata must be a JSON object ({ ... }), not an array.", FieldError(dialogs, "#customer-metadata"));
        Assert.NotNull(dialogs.Find("#save-customer"));
        Assert.Equal(0, await StoredCount());
    }

    [Fact]
    public async Task A_missing_name_is_shown_on_save_and_nothing_is_stored()
    {
        var (_, dialogs) = OpenNewCustomerForm();

        dialogs.Find("#save-customer").Click();

        dialogs.WaitForAssertion(() => Assert.Equal("Name is required.", FieldError(dialogs, "#customer-name")));
        Assert.Equal(0, await StoredCount());
    }

    [Fact]
    public async Task A_duplicate_external_reference_is_shown_on_its_field_and_the_dialog_stays_open()
    {
        await Customers.CreateAsync(TestDatabase.Administrator, new CustomerInput { Name = "Acme Ltd", ExternalRef = "cus_1" }, Ct);
        var (_, dialogs) = OpenNewCustomerForm();
        dialogs.Find("#customer-name").Change("Acme copy");
        dialogs.Find("#customer-external-ref").Change("cus_1");

        dialogs.Find("#save-customer").Click();

        dialogs.WaitForAssertion(() =>
            Assert.Equal("Another customer already has the external reference 'cus_1'.", FieldError(dialogs, "#customer-external-ref")));
        Assert.Equal("Acme copy", dialogs.Find("#customer-name").GetAttribute("value"));
        Assert.Equal(1, await StoredCount());
    }

    [Fact]
    public async Task A_new_customer_is_stored_and_shows_in_the_list()
    {
        var (page, dialogs) = OpenNewCustomerForm();
        dialogs.Find("#customer-name").Change("Acme Ltd");
        dialogs.Find("#customer-email").Change("ops@acme.example");
        dialogs.Find("#customer-company").Change("Acme");
        dialogs.Find("#customer-external-ref").Change("cus_1");
        dialogs.Find("#customer-license-key").Change("LIC-1");
        dialogs.Find("#customer-plan").Change("Gold");
        dialogs.Find("#customer-notes").Change("Pays yearly.");
        dialogs.Find("#customer-metadata").Input("{ \"seats\": 10 }");

        dialogs.Find("#save-customer").Click();

        dialogs.WaitForAssertion(() => Assert.Empty(dialogs.FindAll("#customer-name")));
        page.WaitForAssertion(() =>
            Assert.Equal(["Acme Ltd"], page.FindAll("a.customer-link").Select(a => a.TextContent.Trim()).ToArray()));
        var stored = Assert.Single((await Customers.ListAsync(TestDatabase.Administrator, new PageRequest(), cancellationToken: Ct)).Items);
        Assert.Equal("ops@acme.example", stored.Email);
        Assert.Equal("Acme", stored.Company);
        Assert.Equal("cus_1", stored.ExternalRef);
        Assert.Equal("LIC-1", stored.LicenseKey);
        Assert.Equal("Gold", stored.Plan);
        Assert.Equal("Pays yearly.", stored.Notes);
        Assert.Equal("{\"seats\":10}", stored.MetadataJson);
    }

    [Fact]
    public async Task Cancelling_stores_nothing()
    {
        var (_, dialogs) = OpenNewCustomerForm();
        dialogs.Find("#customer-name").Change("Acme Ltd");

        dialogs.Find("#cancel-customer").Click();

        dialogs.WaitForAssertion(() => Assert.Empty(dialogs.FindAll("#customer-name")));
        Assert.Equal(0, await StoredCount());
    }

    [Fact]
    public async Task Editing_shows_the_stored_values_with_metadata_indented_and_saves_changes()
    {
        var acme = await Customers.CreateAsync(TestDatabase.Administrator, new CustomerInput
        {
            Name = "Acme Ltd", Plan = "Gold", MetadataJson = "{\"seats\":10}",
            SubscriptionEndsAt = new DateTime(2027, 3, 31, 0, 0, 0, DateTimeKind.Utc),
        }, Ct);
        SignIn("ada@example.com", Roles.Administrator);
        Render<MudPopoverProvider>();
        var dialogs = Render<MudDialogProvider>();
        var page = Render<CustomerDetailPage>(p => p.Add(d => d.Id, acme.Id));
        page.WaitForElement("#edit-customer").Click();
        dialogs.WaitForElement("#customer-name");

        Assert.Equal("Acme Ltd", dialogs.Find("#customer-name").GetAttribute("value"));
        Assert.Equal("2027-03-31", dialogs.Find("#customer-subscription-ends").GetAttribute("value"));
        Assert.Equal("{\n  \"seats\": 10\n}", dialogs.Find("#customer-metadata").GetAttribute("value")?.ReplaceLineEndings("\n"));
        dialogs.Find("#customer-plan").Change("Platinum");
        dialogs.Find("#save-customer").Click();

        page.WaitForAssertion(() => Assert.Equal("Platinum", page.Find("#customer-plan").TextContent.Trim()));
        var stored = await Customers.GetAsync(TestDatabase.Administrator, acme.Id, Ct);
        Assert.Equal("Platinum", stored.Plan);
        Assert.Equal("{\"seats\":10}", stored.MetadataJson);
        Assert.Equal(new DateTime(2027, 3, 31, 0, 0, 0, DateTimeKind.Utc), stored.SubscriptionEndsAt);
    }
}
