using EntitlementPortal.Features.Audit;
using EntitlementPortal.Features.Customers;
using EntitlementPortal.Features.Shared;
using EntitlementPortal.Identity;
using EntitlementPortal.Tests.Support;
using FluentValidation;
using Microsoft.Extensions.DependencyInjection;

namespace EntitlementPortal.Tests.Customers;

/// <summary>Conflicts, permissions, revocation and listing: the rules around customers.</summary>
public sealed partial class CustomerServiceTests
{
    [Fact]
    public async Task A_duplicate_external_reference_is_a_conflict_on_that_field()
    {
        using var db = new TestDatabase();
        using var services = db.BuildServices();
        var customers = services.GetRequiredService<CustomerService>();
        var acme = await customers.CreateAsync(Admin, Acme(), Ct);
        var globex = await customers.CreateAsync(Admin, new CustomerInput { Name = "Globex", ExternalRef = "cus_globex" }, Ct);

        var onCreate = await Assert.ThrowsAsync<ConflictException>(() =>
            customers.CreateAsync(Admin, new CustomerInput { Name = "Copy", ExternalRef = " cus_acme " }, Ct));
        var onUpdate = await Assert.ThrowsAsync<ConflictException>(() =>
            customers.UpdateAsync(Admin, globex.Id, new CustomerInput { Name = "Globex", ExternalRef = "cus_acme" }, Ct));

        Assert.Equal(nameof(CustomerInput.ExternalRef), onCreate.Field);
        Assert.Equal("Another customer already has the external reference 'cus_acme'.", onCreate.Message);
        Assert.Equal(nameof(CustomerInput.ExternalRef), onUpdate.Field);
        Assert.Equal(2, (await customers.ListAsync(Admin, new PageRequest(), cancellationToken: Ct)).Total);
        Assert.Equal("cus_globex", (await customers.GetAsync(Admin, globex.Id, Ct)).ExternalRef);
        // Keeping its own reference is not a conflict.
        await customers.UpdateAsync(Admin, acme.Id, Acme(), Ct);
    }

    [Fact]
    public async Task An_account_manager_can_read_customers_but_not_change_them()
    {
        using var db = new TestDatabase();
        using var services = db.BuildServices();
        var customers = services.GetRequiredService<CustomerService>();
        var created = await customers.CreateAsync(Admin, Acme(), Ct);

        Assert.Equal(1, (await customers.ListAsync(AccountManager, new PageRequest(), cancellationToken: Ct)).Total);
        Assert.Equal("Acme Ltd", (await customers.GetAsync(AccountManager, created.Id, Ct)).Name);
        await Assert.ThrowsAsync<ForbiddenException>(() => customers.CreateAsync(AccountManager, new CustomerInput { Name = "New" }, Ct));
        await Assert.ThrowsAsync<ForbiddenException>(() => customers.UpdateAsync(AccountManager, created.Id, new CustomerInput { Name = "Renamed" }, Ct));
        await Assert.ThrowsAsync<ForbiddenException>(() => customers.RevokeAsync(AccountManager, created.Id, Ct));
        await Assert.ThrowsAsync<ForbiddenException>(() => customers.ReinstateAsync(AccountManager, created.Id, Ct));
        await Assert.ThrowsAsync<ForbiddenException>(() => customers.DeleteAsync(AccountManager, created.Id, Ct));
        var stored = await customers.GetAsync(Admin, created.Id, Ct);
        Assert.Equal("Acme Ltd", stored.Name);
        Assert.Equal(CustomerStatus.Active, stored.Status);
        Assert.Single(await AuditFor(services, created.Id));
    }

    [Fact]
    public async Task A_user_without_a_role_cannot_see_customers()
    {
        using var db = new TestDatabase();
        using var services = db.BuildServices();
        var customers = services.GetRequiredService<CustomerService>();
        var created = await customers.CreateAsync(Admin, Acme(), Ct);

        await Assert.ThrowsAsync<ForbiddenException>(() => customers.ListAsync(PlainUser, new PageRequest(), cancellationToken: Ct));
        await Assert.ThrowsAsync<ForbiddenException>(() => customers.GetAsync(PlainUser, created.Id, Ct));
        await Assert.ThrowsAsync<ForbiddenException>(() => customers.CreateAsync(PlainUser, new CustomerInput { Name = "New" }, Ct));
    }

    [Fact]
    public async Task Revoking_and_reinstating_change_the_status_and_are_audited()
    {
        using var db = new TestDatabase();
        using var services = db.BuildServices();
        var customers = services.GetRequiredService<CustomerService>();
        var created = await customers.CreateAsync(Admin, Acme(), Ct);

        var revoked = await customers.RevokeAsync(TokenManager, created.Id, Ct);

        Assert.Equal(CustomerStatus.Revoked, revoked.Status);
        Assert.NotNull(revoked.RevokedAt);
        Assert.Equal(CustomerStatus.Revoked, (await customers.GetAsync(Admin, created.Id, Ct)).Status);
        var revokeEntry = (await AuditFor(services, created.Id))[0];
        Assert.Equal(AuditActions.Revoke, revokeEntry.Action);
        Assert.Equal("Revoked customer 'Acme Ltd': 0 active tokens disabled; every token of theirs is refused.", revokeEntry.Summary);

        var reinstated = await customers.ReinstateAsync(Admin, created.Id, Ct);

        Assert.Equal(CustomerStatus.Active, reinstated.Status);
        Assert.Null(reinstated.RevokedAt);
        var reinstateEntry = (await AuditFor(services, created.Id))[0];
        Assert.Equal(AuditActions.Reinstate, reinstateEntry.Action);
        Assert.Equal("Reinstated customer 'Acme Ltd': 0 tokens enabled again.", reinstateEntry.Summary);
    }

    [Fact]
    public async Task Revoking_a_revoked_customer_changes_nothing()
    {
        using var db = new TestDatabase();
        using var services = db.BuildServices();
        var customers = services.GetRequiredService<CustomerService>();
        var created = await customers.CreateAsync(Admin, Acme(), Ct);
        var first = await customers.RevokeAsync(Admin, created.Id, Ct);

        var second = await customers.RevokeAsync(Admin, created.Id, Ct);

        Assert.Equal(first.RevokedAt, second.RevokedAt);
        Assert.Equal(2, (await AuditFor(services, created.Id)).Count);
    }

    [Fact]
    public async Task The_list_searches_filters_sorts_and_pages_in_the_database()
    {
        using var db = new TestDatabase();
        using var services = db.BuildServices();
        var customers = services.GetRequiredService<CustomerService>();
        await customers.CreateAsync(Admin, new CustomerInput { Name = "Acme Ltd", Company = "Acme", Email = "ops@acme.example", ExternalRef = "cus_1" }, Ct);
        var globex = await customers.CreateAsync(Admin, new CustomerInput { Name = "Globex", Company = "Globex Corp", ExternalRef = "cus_2" }, Ct);
        await customers.CreateAsync(Admin, new CustomerInput { Name = "Initech", Company = "Initech", Email = "it@initech.example", ExternalRef = "100%_real" }, Ct);
        await customers.RevokeAsync(Admin, globex.Id, Ct);

        static string[] Names(PagedResult<CustomerView> page) => page.Items.Select(c => c.Name).ToArray();

        Assert.Equal(["Acme Ltd"], Names(await customers.ListAsync(Admin, new PageRequest(Search: "ACME.example"), cancellationToken: Ct)));
        Assert.Equal(["Globex"], Names(await customers.ListAsync(Admin, new PageRequest(Search: "corp"), cancellationToken: Ct)));
        Assert.Equal(["Globex"], Names(await customers.ListAsync(Admin, new PageRequest(Search: "cus_2"), cancellationToken: Ct)));
        Assert.Equal(["Initech"], Names(await customers.ListAsync(Admin, new PageRequest(Search: "100%"), cancellationToken: Ct)));
        Assert.Equal(["Globex"], Names(await customers.ListAsync(Admin, new PageRequest(), CustomerStatus.Revoked, Ct)));
        Assert.Equal(["Acme Ltd", "Initech"], Names(await customers.ListAsync(Admin, new PageRequest(), CustomerStatus.Active, Ct)));
        Assert.Equal(["Initech", "Globex", "Acme Ltd"], Names(await customers.ListAsync(Admin, new PageRequest(SortBy: "company", Descending: true), cancellationToken: Ct)));
        var secondPage = await customers.ListAsync(Admin, new PageRequest(Page: 2, PageSize: 2), cancellationToken: Ct);
        Assert.Equal(3, secondPage.Total);
        Assert.Equal(["Initech"], Names(secondPage));
    }
}
