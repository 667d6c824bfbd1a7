using System.Net;
using EntitlementPortal.Tests.Support;

namespace EntitlementPortal.Tests.Hosting;

public sealed class HostingTests(PortalAppFactory app) : IClassFixture<PortalAppFactory>
{
    private readonly HttpClient client = AccountSession.CreateClient(app);

    [Fact]
    public async Task Health_endpoint_answers_200_without_credentials_once_the_database_is_ready()
    {
        var response = await client.GetAsync("/healthz", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/repositories")]
    [InlineData("/customers")]
    [InlineData("/users")]
    [InlineData("/Account/Manage")]
    public async Task Every_portal_page_sends_an_anonymous_visitor_to_sign_in(string path)
    {
        var response = await client.GetAsync(path, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/Account/Login", response.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/_content/MudBlazor/MudBlazor.min.css")]
    [InlineData("/_content/MudBlazor/MudBlazor.min.js")]
    [InlineData("/_framework/blazor.web.js")]
    [InlineData("/app.css")]
    public async Task Static_assets_are_served_to_the_sign_in_page(string path)
    {
        var response = await client.GetAsync(path, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Database_is_migrated_and_roles_are_seeded_at_startup()
    {
        var roles = await app.WithDbAsync(db => Task.FromResult(db.Roles.Select(r => r.Name).OrderBy(n => n).ToList()));
        Assert.Equal(["AccountManager", "Administrator", "TokenManager"], roles);
    }
}
