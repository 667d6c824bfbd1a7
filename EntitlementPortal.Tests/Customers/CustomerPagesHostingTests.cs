using System.Net;
using EntitlementPortal.Features.Customers;
using EntitlementPortal.Features.Shared;
using EntitlementPortal.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace EntitlementPortal.Tests.Customers;

/// <summary>The customer pages in the real app: routing, policies and services wired as in production.</summary>
public sealed class CustomerPagesHostingTests : IAsyncDisposable
{
    private const string Email = "ops@example.com";
    private const string Password = "B00tstrap-secret!";
    private readonly PortalAppFactory app = new()
    {
        Settings =
        {
            ["Bootstrap:AdminEmail"] = Email,
            ["Bootstrap:AdminPassword"] = Password,
        },
    };

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_signed_in_administrator_gets_the_list_and_a_customer_page()
    {
        CustomerView acme;
        using (var scope = app.Services.CreateScope())
        {
            acme = await scope.ServiceProvider.GetRequiredService<CustomerService>().CreateAsync(
                Actor.System, new CustomerInput { Name = "Acme Ltd", LicenseKey = "LIC-ACME" }, Ct);
        }
        var client = AccountSession.CreateClient(app);
        await AccountSession.SignInAsync(client, Email, Password);

        var list = await client.GetAsync("/customers", Ct);
        var detail = await client.GetStringAsync($"/customers/{acme.Id}", Ct);
        var missing = await client.GetStringAsync("/customers/999999", Ct);

        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        Assert.Contains("New customer", await list.Content.ReadAsStringAsync(Ct));
        Assert.Contains("Acme Ltd", detail);
        Assert.Contains("LIC-ACME", detail);
        Assert.Contains("There is no customer 999999", missing);
    }

    public ValueTask DisposeAsync() => app.DisposeAsync();
}
