using Bunit;
using EntitlementPortal.Features.Customers;
using EntitlementPortal.Features.Repositories;
using EntitlementPortal.Identity;
using EntitlementPortal.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace EntitlementPortal.Tests.Tokens.Pages;

/// <summary>The token list where it appears on other pages: a customer's tokens, a private repository's tokens.</summary>
public sealed class TokenHostPagesTests : TokenPageTest
{
    [Fact]
    public async Task The_customer_page_lists_that_customers_tokens_across_repositories()
    {
        await SeedAsync("Acme CI", customerId: CustomerId);
        await SeedAsync("Acme mirror", repo: "globex", customerId: CustomerId);
        await SeedAsync("Someone else");
        SignIn("am@example.com", Roles.AccountManager);
        RenderDialogHost();

        var page = Render<CustomerDetailPage>(p => p.Add(d => d.Id, CustomerId));

        page.WaitForAssertion(() => Assert.Equal(["Acme CI", "Acme mirror"], Names(page)));
        Assert.Equal(["acme", "globex"], page.FindAll("#customer-tokens .token-repository").Select(a => a.TextContent.Trim()).ToArray());
        Assert.Empty(page.FindAll("#new-token"));
    }

    [Fact]
    public async Task The_customer_page_counts_that_customers_tokens_not_the_portals()
    {
        await SeedAsync("Acme CI", customerId: CustomerId);
        await SeedAsync("Acme spare", repo: "globex", customerId: CustomerId, active: false);
        await SeedAsync("Someone else");
        await SeedAsync("Someone else too", repo: "globex");
        var gone = await SeedAsync("Acme old", customerId: CustomerId);
        await TokenLifecycle.DeleteAsync(TestDatabase.Administrator, "acme", gone.Id, Ct);
        SignIn("ada@example.com", Roles.TokenManager);
        RenderDialogHost();

        var page = Render<CustomerDetailPage>(p => p.Add(d => d.Id, CustomerId));

        page.WaitForAssertion(() => Assert.Equal("1 active token, 1 disabled", Text(page, "#customer-tokens #token-count")));
        // The portal holds three active tokens; a line counting those would read as this customer's.
        Assert.Empty(page.FindAll("#customer-tokens #token-allowance"));
        Assert.DoesNotContain("3 active", page.Find("#customer-tokens").TextContent);
        Assert.Single(page.FindAll("#customer-tokens #new-token"));
    }

    [Fact]
    public async Task Revoking_the_customer_shows_their_tokens_disabled_at_once()
    {
        await SeedAsync("Acme CI", customerId: CustomerId);
        SignIn("ada@example.com", Roles.Administrator);
        var dialogs = RenderDialogHost();
        var page = Render<CustomerDetailPage>(p => p.Add(d => d.Id, CustomerId));
        page.WaitForAssertion(() => Assert.Equal("Active", Text(page, "#customer-tokens .token-status")));

        page.Find("#revoke-customer").Click();
        dialogs.WaitForElement("#confirm-ok").Click();

        page.WaitForAssertion(() => Assert.Equal("Customer revoked", Text(page, "#customer-tokens .token-status")));
    }

    [Fact]
    public async Task A_customer_without_tokens_says_so()
    {
        var globex = await Services.GetRequiredService<CustomerService>()
            .CreateAsync(TestDatabase.Administrator, new CustomerInput { Name = "Globex" }, Ct);
        await SeedAsync("Acme CI", customerId: CustomerId);
        SignIn("ada@example.com", Roles.Administrator);
        RenderDialogHost();

        var page = Render<CustomerDetailPage>(p => p.Add(d => d.Id, globex.Id));

        page.WaitForAssertion(() => Assert.Equal("No tokens yet.", Text(page, "#customer-tokens #tokens-empty")));
    }

    [Fact]
    public async Task A_private_repository_page_lists_its_tokens_with_a_new_token_button()
    {
        await SeedAsync("Acme CI");
        await SeedAsync("Globex CI", repo: "globex");
        SignIn("ada@example.com", Roles.Administrator);
        RenderDialogHost();

        var page = Render<RepositoryDetailPage>(p => p.Add(d => d.Slug, "acme"));

        page.WaitForAssertion(() => Assert.Equal(["Acme CI"], Names(page)));
        Assert.Single(page.FindAll("#new-token"));
        Assert.Contains(page.FindAll("h2"), h => h.TextContent.Trim() == "Tokens");
    }

    [Fact]
    public void A_public_repository_page_has_no_token_list()
    {
        SignIn("ada@example.com", Roles.Administrator);
        RenderDialogHost();

        var page = Render<RepositoryDetailPage>(p => p.Add(d => d.Slug, "open"));

        page.WaitForAssertion(() => Assert.Equal("Open builds", Text(page, "#repository-title")));
        Assert.Empty(page.FindAll("#token-table"));
        Assert.Empty(page.FindAll("#new-token"));
    }
}

public sealed class TokenHostPagesPlanTests() : TokenPageTest(maxActiveTokens: 10)
{
    [Fact]
    public async Task With_a_plan_limit_the_customer_page_names_the_plan_count_as_the_portals()
    {
        await SeedAsync("Acme CI", customerId: CustomerId);
        await SeedAsync("Someone else");
        await SeedAsync("Someone else too", repo: "globex");
        SignIn("ada@example.com", Roles.Administrator);
        RenderDialogHost();

        var page = Render<CustomerDetailPage>(p => p.Add(d => d.Id, CustomerId));

        page.WaitForAssertion(() => Assert.Equal("1 active token, 0 disabled", Text(page, "#customer-tokens #token-count")));
        Assert.Equal("Plan: 3 of 10 active tokens across the portal", Text(page, "#customer-tokens #token-allowance"));
    }
}
