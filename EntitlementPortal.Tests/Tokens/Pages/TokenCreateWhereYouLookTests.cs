using Bunit;
using EntitlementPortal.Features.Customers;
using EntitlementPortal.Features.Repositories.Privileges;
using EntitlementPortal.Features.Tokens;
using EntitlementPortal.Identity;
using EntitlementPortal.Tests.Repositories;
using EntitlementPortal.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace EntitlementPortal.Tests.Tokens.Pages;

/// <summary>"New token" on the tokens page (choose the repository) and on a customer's page (customer chosen).</summary>
public sealed class TokenCreateWhereYouLookTests : TokenPageTest
{
    private CustomerService Customers => Services.GetRequiredService<CustomerService>();

    private string[] RepositoryItems(IRenderedComponent<MudDialogProvider> dialogs)
    {
        dialogs.Find("#token-repository").Closest(".mud-input-control")!.MouseDown();
        Popovers.WaitForAssertion(() => Assert.NotEmpty(Popovers.FindAll(".mud-list-item")));
        return Popovers.FindAll(".mud-list-item").Select(i => i.TextContent.Trim()).ToArray();
    }

    private IRenderedComponent<MudDialogProvider> OpenFromTokensPage()
    {
        var dialogs = RenderDialogHost();
        var page = Render<TokensPage>();
        page.WaitForElement("#new-token").Click();
        dialogs.WaitForElement("#token-repository");
        return dialogs;
    }

    [Fact]
    public async Task The_tokens_page_creates_a_token_in_the_repository_chosen_among_private_ones()
    {
        SignIn("ada@example.com", Roles.Administrator);
        var dialogs = OpenFromTokensPage();

        Assert.Equal("New token", Text(dialogs, ".mud-dialog-title"));
        Assert.Equal(["acme · Acme builds", "globex · Globex builds"], RepositoryItems(dialogs));
        Popovers.FindAll(".mud-list-item").Single(i => i.TextContent.Trim().StartsWith("globex", StringComparison.Ordinal)).Click();
        dialogs.Find("#token-name").Input("Globex CI");
        dialogs.Find("#save-token").Click();

        dialogs.WaitForAssertion(() => Assert.Empty(dialogs.FindAll("#save-token")));
        Assert.Equal(["Globex CI"], (await StoredAsync("globex")).Select(t => t.Name).ToArray());
        Assert.Empty(await StoredAsync("acme"));
    }

    [Fact]
    public void Choosing_a_repository_is_a_change_the_backdrop_asks_about_before_closing()
    {
        SignIn("ada@example.com", Roles.Administrator);
        var dialogs = OpenFromTokensPage();
        RepositoryItems(dialogs);
        Popovers.FindAll(".mud-list-item").Single(i => i.TextContent.Trim().StartsWith("globex", StringComparison.Ordinal)).Click();

        dialogs.FindAll(".mud-overlay")[0].Click();

        dialogs.WaitForAssertion(() => Assert.Contains("Discard your changes?", dialogs.Markup));
    }

    [Fact]
    public async Task Saving_without_a_repository_says_to_choose_one_and_stores_nothing()
    {
        SignIn("ada@example.com", Roles.Administrator);
        var dialogs = OpenFromTokensPage();
        dialogs.Find("#token-name").Input("Somewhere CI");

        dialogs.Find("#save-token").Click();

        dialogs.WaitForAssertion(() => Assert.Equal("Choose the repository the token downloads from.", FieldError(dialogs, "#token-repository")));
        Assert.Empty(await StoredAsync(repo: null));
    }

    [Fact]
    public async Task A_writer_may_choose_only_the_repositories_they_manage_tokens_in()
    {
        var data = new PrivilegeTestData(Database, Services);
        await data.UserAsync("wes@example.com");
        await data.GrantUserAsync("acme", "wes@example.com", RepositoryPrivilege.Write);
        await data.GrantUserAsync("globex", "wes@example.com", RepositoryPrivilege.Read);
        SignIn("wes@example.com");

        var dialogs = OpenFromTokensPage();

        Assert.Equal(["acme · Acme builds"], RepositoryItems(dialogs));
    }

    [Fact]
    public async Task The_customer_page_creates_a_token_for_that_customer()
    {
        SignIn("ada@example.com", Roles.Administrator);
        var dialogs = RenderDialogHost();
        var page = Render<CustomerDetailPage>(p => p.Add(d => d.Id, CustomerId));

        page.WaitForElement("#customer-tokens #new-token").Click();

        dialogs.WaitForElement("#token-repository");
        Assert.Equal("Acme Corp", dialogs.Find("#token-customer").GetAttribute("value"));
        Assert.NotNull(dialogs.Find("#token-active").GetAttribute("checked"));
        Assert.False(dialogs.Find("#token-active").HasAttribute("disabled"));
        RepositoryItems(dialogs);
        Popovers.FindAll(".mud-list-item").Single(i => i.TextContent.Trim().StartsWith("acme", StringComparison.Ordinal)).Click();
        dialogs.Find("#token-name").Input("Acme laptop");
        dialogs.Find("#save-token").Click();

        dialogs.WaitForAssertion(() => Assert.Empty(dialogs.FindAll("#save-token")));
        var stored = Assert.Single(await StoredAsync());
        Assert.Equal(("Acme laptop", CustomerId, true), (stored.Name, stored.CustomerId!.Value, stored.IsActive));
    }

    [Fact]
    public async Task A_revoked_customers_new_token_starts_disabled_and_says_why()
    {
        await Customers.RevokeAsync(TestDatabase.Administrator, CustomerId, Ct);
        SignIn("ada@example.com", Roles.Administrator);
        var dialogs = RenderDialogHost();
        var page = Render<CustomerDetailPage>(p => p.Add(d => d.Id, CustomerId));

        page.WaitForElement("#customer-tokens #new-token").Click();

        dialogs.WaitForElement("#token-repository");
        Assert.Contains("This customer is revoked", dialogs.Find("#token-customer").Closest(".mud-input-control")!.TextContent);
        Assert.Null(dialogs.Find("#token-active").GetAttribute("checked"));
        Assert.True(dialogs.Find("#token-active").HasAttribute("disabled"));
        RepositoryItems(dialogs);
        Popovers.FindAll(".mud-list-item").Single(i => i.TextContent.Trim().StartsWith("acme", StringComparison.Ordinal)).Click();
        dialogs.Find("#token-name").Input("Acme spare");
        dialogs.Find("#save-token").Click();

        dialogs.WaitForAssertion(() => Assert.Empty(dialogs.FindAll("#save-token")));
        var stored = Assert.Single(await StoredAsync());
        Assert.Equal((CustomerId, false), (stored.CustomerId!.Value, stored.IsActive));
    }

    [Fact]
    public async Task Picking_a_revoked_customer_switches_the_new_token_off()
    {
        await Customers.RevokeAsync(TestDatabase.Administrator, CustomerId, Ct);
        SignIn("ada@example.com", Roles.Administrator);
        var dialogs = RenderDialogHost();
        var list = Render<TokenList>(p => p.Add(l => l.Repo, "acme"));
        list.WaitForElement("#new-token").Click();
        dialogs.WaitForElement("#token-name").Input("Acme spare");
        Assert.NotNull(dialogs.Find("#token-active").GetAttribute("checked"));

        dialogs.Find("#token-customer").Input("acme");
        Popovers.WaitForAssertion(() => Assert.Contains(Popovers.FindAll(".mud-list-item"), i => i.TextContent.Trim() == "Acme Corp"), TimeSpan.FromSeconds(5));
        Popovers.FindAll(".mud-list-item").First(i => i.TextContent.Trim() == "Acme Corp").Click();

        dialogs.WaitForAssertion(() => Assert.Null(dialogs.Find("#token-active").GetAttribute("checked")));
        dialogs.Find("#save-token").Click();
        dialogs.WaitForAssertion(() => Assert.Empty(dialogs.FindAll("#save-token")));
        Assert.False(Assert.Single(await StoredAsync()).IsActive);
    }
}
