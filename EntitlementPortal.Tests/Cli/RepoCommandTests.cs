using EntitlementPortal.Cli;
using EntitlementPortal.Identity;
using EntitlementPortal.Tests.Downloads;

namespace EntitlementPortal.Tests.Cli;

[Collection(CliCollection.Name)]
public sealed class RepoCommandTests(DownloadApp portal) : IDisposable
{
    private readonly CliRunner ep = new(portal);
    private readonly string slug = "cli-repo-" + Guid.NewGuid().ToString("N")[..8];

    [Fact]
    public async Task Create_show_update_list_and_delete_a_repository()
    {
        var created = (await ep.RunAsync("repos", "create", slug, "--name", "CLI repo", "--description", "Builds", "--public", "--output", "json")).AssertOk().Json;
        Assert.Equal(slug, created.GetProperty("slug").GetString());
        Assert.Equal("public", created.GetProperty("visibility").GetString());

        var shown = (await ep.RunAsync("repos", "show", slug)).AssertOk().Output;
        Assert.Matches(@"name\s+CLI repo", shown);
        Assert.Matches(@"visibility\s+public", shown);

        var updated = (await ep.RunAsync("repos", "update", slug, "--name", "Renamed", "--output", "json")).AssertOk().Json;
        Assert.Equal("Renamed", updated.GetProperty("name").GetString());
        Assert.Equal("Builds", updated.GetProperty("description").GetString());

        var list = (await ep.RunAsync("repos", "list", "--page-size", "500")).AssertOk().Output;
        Assert.Matches($@"(?m)^{slug}\s+Renamed\s+public\s+0\s+0$", list);

        Assert.Contains($"Deleted repository {slug}.", (await ep.RunAsync("repos", "delete", slug, "--yes")).AssertOk().Output);
        (await ep.RunAsync("repos", "show", slug)).AssertFailed(ExitCodes.Refused, "HTTP 404");
    }

    [Fact]
    public async Task A_taken_slug_is_refused_with_the_portals_detail()
    {
        (await ep.RunAsync("repos", "create", slug, "--name", "One")).AssertOk();

        (await ep.RunAsync("repos", "create", slug, "--name", "Two")).AssertFailed(ExitCodes.Refused, "HTTP 409");
    }

    [Fact]
    public async Task Only_administrators_create_repositories()
    {
        ep.ApiKey = await ep.App.CreateUserWithKeyAsync($"tm-{Guid.NewGuid():N}@example.com", Roles.TokenManager);

        (await ep.RunAsync("repos", "create", slug, "--name", "Nope")).AssertFailed(ExitCodes.Refused, "HTTP 403");
    }

    [Fact]
    public async Task Missing_required_options_are_usage_errors()
    {
        (await ep.RunAsync("repos", "create", slug)).AssertFailed(ExitCodes.Usage, "--name");
        (await ep.RunAsync("repos", "update", slug)).AssertFailed(ExitCodes.Usage, "Nothing to change");
        (await ep.RunAsync("repos", "frobnicate")).AssertFailed(ExitCodes.Usage, "frobnicate");
    }

    public void Dispose() => ep.Dispose();
}
