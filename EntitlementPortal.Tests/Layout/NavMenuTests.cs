using Bunit;
using EntitlementPortal.Components.Layout;
using EntitlementPortal.Identity;
using EntitlementPortal.Tests.Support;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace EntitlementPortal.Tests.Layout;

public sealed class NavMenuTests : PortalComponentTest
{
    private string[] LinksFor(params string[] roles)
    {
        SignIn("someone@example.com", roles);
        var menu = Render<NavMenu>();
        return menu.FindAll("a").Select(a => a.GetAttribute("href") ?? "").ToArray();
    }

    [Fact]
    public void Administrator_sees_every_area()
    {
        var links = LinksFor(Roles.Administrator);
        Assert.Equal(["", "repositories", "packages", "customers", "tokens", "downloads", "audit", "users", "teams", "webhooks", "my-tokens", "api-keys", "api-reference/"], links);
    }

    [Fact]
    public void Account_manager_sees_entitlement_areas_but_not_users()
    {
        var links = LinksFor(Roles.AccountManager);
        Assert.Contains("customers", links);
        Assert.Contains("downloads", links);
        Assert.DoesNotContain("users", links);
        Assert.DoesNotContain("teams", links);
    }

    [Fact]
    public void Plain_member_sees_repositories_and_own_tokens_only()
    {
        var links = LinksFor();
        Assert.Equal(["", "repositories", "packages", "my-tokens", "api-keys", "api-reference/"], links);
    }

    [Theory]
    [InlineData("/", "")]
    [InlineData("/repositories", "repositories")]
    [InlineData("/repositories/acme", "repositories")]
    [InlineData("/repositories/acme/tokens/3", "repositories")]
    [InlineData("/repositories/acme/packages/7", "repositories")]
    [InlineData("/tokens", "tokens")]
    [InlineData("/customers/5", "customers")]
    [InlineData("/my-tokens", "my-tokens")]
    public void The_menu_highlights_the_one_area_the_page_belongs_to(string page, string area)
    {
        Services.GetRequiredService<NavigationManager>().NavigateTo(page);
        SignIn("someone@example.com", Roles.Administrator);

        var menu = Render<NavMenu>();

        Assert.Equal([area], menu.FindAll("a.active").Select(a => a.GetAttribute("href") ?? "").ToArray());
    }
}
