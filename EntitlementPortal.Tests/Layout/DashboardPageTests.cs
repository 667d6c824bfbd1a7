using Bunit;
using EntitlementPortal.Features.Dashboard;
using EntitlementPortal.Identity;
using EntitlementPortal.Tests.Support;

namespace EntitlementPortal.Tests.Layout;

public sealed class DashboardPageTests : PortalComponentTest
{
    [Fact]
    public void Greets_the_user_and_shows_only_their_roles()
    {
        SignIn("ada@example.com", Roles.AccountManager);

        var page = Render<DashboardPage>();

        Assert.Contains("ada@example.com", page.Find("#welcome").TextContent);
        var chips = page.FindAll(".mud-chip").Select(c => c.TextContent.Trim()).ToArray();
        Assert.Equal([Roles.AccountManager], chips);
    }

    [Fact]
    public void Links_to_each_area()
    {
        SignIn("ada@example.com", Roles.Administrator);

        var page = Render<DashboardPage>();

        var targets = page.FindAll(".mud-card a").Select(a => a.GetAttribute("href") ?? "").ToArray();
        Assert.Equal(["repositories", "customers", "tokens", "packages", "downloads", "audit"], targets);
    }
}
