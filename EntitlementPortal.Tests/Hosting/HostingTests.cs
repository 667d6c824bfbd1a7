using System.Net;
using System.Net.Http.Json;
using EntitlementPortal.Hosting;
using EntitlementPortal.Tests.Support;

namespace EntitlementPortal.Tests.Hosting;

public sealed class HostingTests(PortalAppFactory app) : IClassFixture<PortalAppFactory>
{
    private readonly HttpClient client = AccountSession.CreateClient(app);

    [Theory]
    [InlineData("/healthz")]
    [InlineData("/healthz/ready")]
    public async Task Health_report_answers_200_without_credentials_and_names_the_database_and_the_storage(string path)
    {
        var response = await client.GetAsync(path, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        var answer = await response.Content.ReadFromJsonAsync<HealthAnswer>(TestContext.Current.CancellationToken);
        Assert.Equal("Healthy", answer!.Status);
        Assert.Equal(new Dictionary<string, string> { ["database"] = "Healthy", ["storage"] = "Healthy" }, answer.Checks);
    }

    [Fact]
    public async Task Liveness_answers_200_and_runs_no_dependency_check()
    {
        var answer = await client.GetFromJsonAsync<HealthAnswer>("/healthz/live", TestContext.Current.CancellationToken);

        Assert.Equal("Healthy", answer!.Status);
        Assert.Empty(answer.Checks);
    }

    [Fact]
    public async Task Storage_that_cannot_be_written_makes_the_instance_unready_but_still_live_and_the_body_leaks_no_path()
    {
        await using var broken = new PortalAppFactory();
        var brokenClient = AccountSession.CreateClient(broken);
        Assert.Equal(HttpStatusCode.OK, (await brokenClient.GetAsync("/healthz/ready", TestContext.Current.CancellationToken)).StatusCode);
        // A lost mount: the storage folder is replaced by a plain file, so nothing can be staged under it.
        var packages = Path.Combine(Path.GetDirectoryName(broken.DatabasePath)!, "packages");
        Directory.Delete(packages, recursive: true);
        await File.WriteAllTextAsync(packages, "not a folder", TestContext.Current.CancellationToken);

        var ready = await brokenClient.GetAsync("/healthz/ready", TestContext.Current.CancellationToken);
        var live = await brokenClient.GetAsync("/healthz/live", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        var body = await ready.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        var answer = System.Text.Json.JsonSerializer.Deserialize<HealthAnswer>(body, new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web));
        Assert.Equal("Unhealthy", answer!.Status);
        Assert.Equal("Unhealthy", answer.Checks["storage"]);
        Assert.Equal("Healthy", answer.Checks["database"]);
        Assert.DoesNotContain(packages, body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
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
