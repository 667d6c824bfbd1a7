using EntitlementPortal.Features.Audit;
using EntitlementPortal.Features.Customers;
using EntitlementPortal.Features.Shared;
using EntitlementPortal.Identity;
using EntitlementPortal.Tests.Support;
using FluentValidation;
using Microsoft.Extensions.DependencyInjection;

namespace EntitlementPortal.Tests.Customers;

public sealed partial class CustomerServiceTests
{
    private static readonly Actor Admin = TestDatabase.Administrator;
    private static readonly Actor AccountManager = TestDatabase.ActorWith("am@example.com", Roles.AccountManager);
    private static readonly Actor TokenManager = TestDatabase.ActorWith("bot@example.com", Roles.TokenManager);
    private static readonly Actor PlainUser = TestDatabase.ActorWith("someone@example.com");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static CustomerInput Acme() => new()
    {
        Name = "Acme Ltd",
        Email = "billing@acme.example",
        Company = "Acme",
        ExternalRef = "cus_acme",
        LicenseKey = "LIC-ACME",
        Plan = "Gold",
        SubscriptionEndsAt = new DateTime(2027, 3, 31, 0, 0, 0, DateTimeKind.Utc),
        Notes = "Pays yearly.",
        MetadataJson = "{ \"seats\": 10 }",
    };

    private static async Task<IReadOnlyList<AuditEntryView>> AuditFor(ServiceProvider services, int customerId) =>
        (await services.GetRequiredService<AuditService>().ListAsync(
            Admin, new AuditQuery(EntityType: AuditEntityTypes.Customer, EntityId: customerId.ToString()), new PageRequest(), Ct)).Items;

    [Fact]
    public async Task Created_customer_is_stored_with_every_field()
    {
        using var db = new TestDatabase();
        using var services = db.BuildServices();
        var customers = services.GetRequiredService<CustomerService>();

        var created = await customers.CreateAsync(Admin, Acme(), Ct);
        var stored = await customers.GetAsync(AccountManager, created.Id, Ct);

        Assert.Equal("Acme Ltd", stored.Name);
        Assert.Equal("billing@acme.example", stored.Email);
        Assert.Equal("Acme", stored.Company);
        Assert.Equal("cus_acme", stored.ExternalRef);
        Assert.Equal("LIC-ACME", stored.LicenseKey);
        Assert.Equal("Gold", stored.Plan);
        Assert.Equal(new DateTime(2027, 3, 31, 0, 0, 0, DateTimeKind.Utc), stored.SubscriptionEndsAt);
        Assert.Equal(DateTimeKind.Utc, stored.SubscriptionEndsAt!.Value.Kind);
        Assert.Equal("Pays yearly.", stored.Notes);
        Assert.Equal(CustomerStatus.Active, stored.Status);
        Assert.Null(stored.RevokedAt);
        Assert.Equal(stored.CreatedAt, stored.UpdatedAt);
        var entry = Assert.Single(await AuditFor(services, created.Id));
        Assert.Equal(AuditActions.Create, entry.Action);
        Assert.Equal("Created customer 'Acme Ltd' (ref cus_acme).", entry.Summary);
        Assert.Equal("admin@example.com", entry.ActorName);
    }

    [Fact]
    public async Task Metadata_is_stored_in_one_compact_form()
    {
        using var db = new TestDatabase();
        using var services = db.BuildServices();
        var customers = services.GetRequiredService<CustomerService>();
        var input = Acme();
        input.MetadataJson = "{\n  \"seats\" : 10,\n  \"tier\": \"gold\"\n}\n";

        var created = await customers.CreateAsync(Admin, input, Ct);

        Assert.Equal("{\"seats\":10,\"tier\":\"gold\"}", (await customers.GetAsync(Admin, created.Id, Ct)).MetadataJson);
    }

    [Fact]
    public async Task Text_is_trimmed_and_blank_fields_are_stored_as_nothing()
    {
        using var db = new TestDatabase();
        using var services = db.BuildServices();
        var customers = services.GetRequiredService<CustomerService>();

        var created = await customers.CreateAsync(Admin, new CustomerInput
        {
            Name = "  Globex  ", Email = " ", Company = "", ExternalRef = "  ", MetadataJson = "   ", Notes = "\n",
        }, Ct);

        Assert.Equal("Globex", created.Name);
        Assert.Null(created.Email);
        Assert.Null(created.Company);
        Assert.Null(created.ExternalRef);
        Assert.Null(created.MetadataJson);
        Assert.Null(created.Notes);
    }

    [Fact]
    public async Task A_subscription_end_without_a_zone_is_taken_as_utc()
    {
        using var db = new TestDatabase();
        using var services = db.BuildServices();
        var customers = services.GetRequiredService<CustomerService>();
        var input = Acme();
        input.SubscriptionEndsAt = new DateTime(2027, 1, 15);

        var created = await customers.CreateAsync(Admin, input, Ct);

        Assert.Equal(new DateTime(2027, 1, 15, 0, 0, 0, DateTimeKind.Utc), created.SubscriptionEndsAt);
    }

    [Fact]
    public async Task Invalid_input_is_refused_and_nothing_is_stored()
    {
        using var db = new TestDatabase();
        using var services = db.BuildServices();
        var customers = services.GetRequiredService<CustomerService>();
        var input = Acme();
        input.Email = "not-an-email";
        input.MetadataJson = "[1]";

        var ex = await Assert.ThrowsAsync<ValidationException>(() => customers.CreateAsync(Admin, input, Ct));

        Assert.Contains(ex.Errors, e => e.PropertyName == nameof(CustomerInput.Email));
        Assert.Contains(ex.Errors, e => e.PropertyName == nameof(CustomerInput.MetadataJson));
        Assert.Equal(0, (await customers.ListAsync(Admin, new PageRequest(), cancellationToken: Ct)).Total);
    }

    [Fact]
    public async Task Updating_changes_the_stored_customer_and_the_audit_lists_the_changed_fields()
    {
        using var db = new TestDatabase();
        using var services = db.BuildServices();
        var customers = services.GetRequiredService<CustomerService>();
        var created = await customers.CreateAsync(Admin, Acme(), Ct);
        var input = created.ToInput();
        input.Email = "accounts@acme.example";
        input.Plan = "Platinum";
        input.Notes = null;

        await Assert.ThrowsAsync<ForbiddenException>(() => customers.UpdateAsync(TokenManager, created.Id, input, Ct));
        var updated = await customers.UpdateAsync(Admin, created.Id, input, Ct);

        Assert.Equal("accounts@acme.example", (await customers.GetAsync(Admin, created.Id, Ct)).Email);
        Assert.Equal("Platinum", updated.Plan);
        Assert.Null(updated.Notes);
        Assert.True(updated.UpdatedAt >= created.UpdatedAt);
        var entry = (await AuditFor(services, created.Id))[0];
        Assert.Equal(AuditActions.Update, entry.Action);
        Assert.Equal("admin@example.com", entry.ActorName);
        Assert.Equal(
            "'Acme Ltd': email: 'billing@acme.example' → 'accounts@acme.example'; notes: 'Pays yearly.' → (none); plan: 'Gold' → 'Platinum'",
            entry.Summary);
    }

    [Fact]
    public async Task An_update_that_changes_nothing_writes_no_audit_entry()
    {
        using var db = new TestDatabase();
        using var services = db.BuildServices();
        var customers = services.GetRequiredService<CustomerService>();
        var created = await customers.CreateAsync(Admin, Acme(), Ct);
        var same = created.ToInput();
        // The form shows metadata indented; the same metadata re-indented is no change.
        same.MetadataJson = JsonMetadata.Pretty(created.MetadataJson);
        same.Name = " Acme Ltd ";

        var updated = await customers.UpdateAsync(Admin, created.Id, same, Ct);

        Assert.Equal(created.UpdatedAt, updated.UpdatedAt);
        Assert.Single(await AuditFor(services, created.Id));
    }

    [Fact]
    public async Task Deleting_removes_the_customer_and_is_audited()
    {
        using var db = new TestDatabase();
        using var services = db.BuildServices();
        var customers = services.GetRequiredService<CustomerService>();
        var created = await customers.CreateAsync(Admin, Acme(), Ct);

        await customers.DeleteAsync(Admin, created.Id, Ct);

        await Assert.ThrowsAsync<NotFoundException>(() => customers.GetAsync(Admin, created.Id, Ct));
        var entry = (await AuditFor(services, created.Id))[0];
        Assert.Equal(AuditActions.Delete, entry.Action);
        Assert.Equal("Deleted customer 'Acme Ltd'.", entry.Summary);
    }

    [Fact]
    public async Task A_customer_that_does_not_exist_is_not_found()
    {
        using var db = new TestDatabase();
        using var services = db.BuildServices();
        var customers = services.GetRequiredService<CustomerService>();

        await Assert.ThrowsAsync<NotFoundException>(() => customers.GetAsync(Admin, 404, Ct));
        await Assert.ThrowsAsync<NotFoundException>(() => customers.UpdateAsync(Admin, 404, Acme(), Ct));
        await Assert.ThrowsAsync<NotFoundException>(() => customers.RevokeAsync(Admin, 404, Ct));
        await Assert.ThrowsAsync<NotFoundException>(() => customers.DeleteAsync(Admin, 404, Ct));
    }
}
