using Bunit;
using EntitlementPortal.Components.Shared;
using EntitlementPortal.Tests.Support;

namespace EntitlementPortal.Tests.Layout;

public sealed class ComingSoonTests : PortalComponentTest
{
    [Fact]
    public void Names_the_area_and_says_it_is_coming()
    {
        var page = Render<ComingSoon>(p => p.Add(c => c.Title, "Tokens").Add(c => c.Description, "Entitlement tokens."));

        Assert.Equal("Tokens", page.Find("h1").TextContent);
        Assert.Contains("coming", page.Find(".coming-soon").TextContent);
    }
}
