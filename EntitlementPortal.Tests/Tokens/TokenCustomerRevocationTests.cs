using EntitlementPortal.Features.Customers;
using EntitlementPortal.Features.Shared;
using EntitlementPortal.Features.Tokens;
using EntitlementPortal.Tests.Support;
using FluentValidation;
using Microsoft.Extensions.DependencyInjection;

namespace EntitlementPortal.Tests.Tokens;

public sealed class TokenCustomerRevocationTests() : TokenServiceTestBase(maxActiveTokens: 3)
{
    private CustomerService Customers => Services.GetRequiredService<CustomerService>();

    private Task<TokenView> CreateForCustomerAsync(string name, bool active = true) =>
        TokenEditor.CreateAsync(TestDatabase.Administrator, "alpha", new TokenInput { Name = name, CustomerId = CustomerId, IsActive = active }, Ct);

    private async Task<bool> IsActiveAsync(int id) => (await TokenQueries.GetAsync(TestDatabase.Administrator, "alpha", id, Ct)).IsActive;

    [Fact]
    public async Task Revoking_disables_the_customers_active_tokens_and_reinstating_restores_exactly_those()
    {
        var active = await CreateForCustomerAsync("Active");
        var disabledByHand = await CreateForCustomerAsync("Off", active: false);
        var otherCustomers = await CreateAsync(name: "Unrelated");

        await Customers.RevokeAsync(TestDatabase.Administrator, CustomerId, Ct);
        Assert.False(await IsActiveAsync(active.Id));
        Assert.True(await IsActiveAsync(otherCustomers.Id));
        Assert.Equal(1, (await TokenQueries.GetAllowanceAsync(Ct)).Active);

        await Customers.ReinstateAsync(TestDatabase.Administrator, CustomerId, Ct);
        Assert.True(await IsActiveAsync(active.Id));
        Assert.False(await IsActiveAsync(disabledByHand.Id));
    }

    [Fact]
    public async Task A_revoked_customers_tokens_cannot_be_enabled_or_created_active()
    {
        var token = await CreateForCustomerAsync("Active");
        await Customers.RevokeAsync(TestDatabase.Administrator, CustomerId, Ct);

        var enable = await Assert.ThrowsAsync<ConflictException>(() => TokenLifecycle.EnableAsync(TestDatabase.Administrator, "alpha", token.Id, Ct));
        Assert.Contains("revoked", enable.Message);
        await Assert.ThrowsAsync<ValidationException>(() => CreateForCustomerAsync("New"));
        await CreateForCustomerAsync("Prepared", active: false);
    }

    [Fact]
    public async Task Reinstating_past_the_allowance_is_refused_and_changes_nothing()
    {
        await CreateForCustomerAsync("Mine");
        await Customers.RevokeAsync(TestDatabase.Administrator, CustomerId, Ct);
        await CreateAsync(name: "Filler 1");
        await CreateAsync(name: "Filler 2");
        await CreateAsync(name: "Filler 3");

        await Assert.ThrowsAsync<ConflictException>(() => Customers.ReinstateAsync(TestDatabase.Administrator, CustomerId, Ct));

        Assert.Equal(CustomerStatus.Revoked, (await Customers.GetAsync(TestDatabase.Administrator, CustomerId, Ct)).Status);
        Assert.Equal(3, (await TokenQueries.GetAllowanceAsync(Ct)).Active);
    }
}
