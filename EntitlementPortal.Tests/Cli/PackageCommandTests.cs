using EntitlementPortal.Cli;
using EntitlementPortal.Identity;
using EntitlementPortal.Tests.Downloads;

namespace EntitlementPortal.Tests.Cli;

[Collection(CliCollection.Name)]
public sealed class PackageCommandTests(DownloadApp portal) : IDisposable
{
    private readonly CliRunner ep = new(portal);
    private readonly string repo = "cli-pkg-" + Guid.NewGuid().ToString("N")[..8];
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<string> FileAsync(string name, int size)
    {
        var path = Path.Combine(ep.Home, name);
        await File.WriteAllBytesAsync(path, Enumerable.Range(0, size).Select(i => (byte)(i % 253)).ToArray(), Ct);
        return path;
    }

    [Fact]
    public async Task Push_a_raw_file_list_it_and_delete_it()
    {
        (await ep.RunAsync("repos", "create", repo, "--name", "Packages")).AssertOk();
        var file = await FileAsync("agent-1.0.0-linux.tar.gz", 250_000);

        var pushed = (await ep.RunAsync("packages", "push", file, "--repo", repo, "--name", "agent", "--version", "1.0.0", "--tags", "stable,linux", "--output", "json")).AssertOk().Json;
        Assert.Equal("agent", pushed.GetProperty("name").GetString());
        Assert.Equal("raw", pushed.GetProperty("format").GetString());
        Assert.Equal(250_000, pushed.GetProperty("files")[0].GetProperty("size").GetInt64());
        var id = pushed.GetProperty("id").GetInt32().ToString();

        var list = (await ep.RunAsync("packages", "list", repo)).AssertOk().Output;
        Assert.Matches($@"(?m)^{id}\s+agent\s+1\.0\.0\s+raw\s+1\s+250 KB", list);

        (await ep.RunAsync("packages", "delete", repo, id, "--yes")).AssertOk();
        Assert.Equal(0, (await ep.RunAsync("packages", "list", repo, "--output", "json")).AssertOk().Json.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task A_nupkg_is_pushed_as_a_nuget_package_named_by_its_nuspec()
    {
        (await ep.RunAsync("repos", "create", repo, "--name", "NuGet")).AssertOk();
        var path = Path.Combine(ep.Home, "Acme.Greeter.1.2.0.nupkg");
        await File.WriteAllBytesAsync(path, Formats.NuGet.NuGetTestPackages.Nupkg("Acme.Greeter", "1.2.0"), Ct);

        var pushed = (await ep.RunAsync("packages", "push", path, "--repo", repo, "--output", "json")).AssertOk().Json;

        Assert.Equal("nuget", pushed.GetProperty("format").GetString());
        Assert.Equal("1.2.0", pushed.GetProperty("version").GetString());
        (await ep.RunAsync("packages", "push", path, "--repo", repo, "--name", "x", "--version", "1")).AssertFailed(ExitCodes.Usage, ".nuspec");
    }

    [Fact]
    public async Task A_wheel_is_pushed_as_a_python_package_and_a_broken_one_is_refused_with_the_portals_message()
    {
        (await ep.RunAsync("repos", "create", repo, "--name", "Python")).AssertOk();
        var filename = Formats.Python.PythonDistributions.WheelFilename("acme-greeter", "2.0.1");
        var path = Path.Combine(ep.Home, filename);
        await File.WriteAllBytesAsync(path, Formats.Python.PythonDistributions.Wheel("acme-greeter", "2.0.1", "acme_greeter"), Ct);

        var pushed = (await ep.RunAsync("packages", "push", path, "--repo", repo, "--output", "json")).AssertOk().Json;

        Assert.Equal("python", pushed.GetProperty("format").GetString());
        Assert.Equal("2.0.1", pushed.GetProperty("version").GetString());
        Assert.Equal(filename, pushed.GetProperty("files")[0].GetProperty("filename").GetString());
        var broken = await FileAsync("broken-1.0.0-py3-none-any.whl", 10);
        (await ep.RunAsync("packages", "push", broken, "--repo", repo)).AssertFailed(ExitCodes.Refused, "HTTP 400");
    }

    [Theory]
    [InlineData("acme-widget")]
    [InlineData("@acme/widget")]
    public async Task An_npm_tarball_is_published_as_npm_publish_does(string name)
    {
        (await ep.RunAsync("repos", "create", repo, "--name", "npm")).AssertOk();
        var path = Path.Combine(ep.Home, "widget-3.1.0.tgz");
        await File.WriteAllBytesAsync(path, Formats.Npm.NpmTestPackages.Package(name, "3.1.0"), Ct);

        var pushed = (await ep.RunAsync("packages", "push", path, "--repo", repo, "--output", "json")).AssertOk().Json;

        Assert.Equal("npm", pushed.GetProperty("format").GetString());
        Assert.Equal(name, pushed.GetProperty("name").GetString());
        Assert.Equal("3.1.0", pushed.GetProperty("version").GetString());
        (await ep.RunAsync("packages", "push", path, "--repo", repo)).AssertFailed(ExitCodes.Refused, "HTTP 403");
        (await ep.RunAsync("packages", "push", await FileAsync("not-npm.tgz", 10), "--repo", repo)).AssertFailed(ExitCodes.Usage, "not an npm package");
    }

    [Fact]
    public async Task At_a_terminal_push_draws_a_progress_bar_on_stderr()
    {
        (await ep.RunAsync("repos", "create", repo, "--name", "Progress")).AssertOk();
        ep.Interactive = true;

        var pushed = (await ep.RunAsync("packages", "push", await FileAsync("big.bin", 1_000_000), "--repo", repo, "--name", "big", "--version", "1.0.0")).AssertOk();

        Assert.Contains("100%", pushed.Error);
        Assert.Contains("1 MB / 1 MB", pushed.Error);
        Assert.Matches(@"format\s+raw", pushed.Output);
    }

    [Fact]
    public async Task A_raw_file_needs_a_name_and_version_and_a_missing_file_is_a_usage_error()
    {
        var file = await FileAsync("tool.zip", 10);

        (await ep.RunAsync("packages", "push", file, "--repo", DownloadApp.Repo)).AssertFailed(ExitCodes.Usage, "--name and --version");
        (await ep.RunAsync("packages", "push", Path.Combine(ep.Home, "nope.zip"), "--repo", DownloadApp.Repo, "--name", "a", "--version", "1")).AssertFailed(ExitCodes.Usage, "does not exist");
    }

    [Fact]
    public async Task Pushing_to_an_unknown_repository_is_404_and_without_write_403()
    {
        var file = await FileAsync("tool.zip", 10);
        (await ep.RunAsync("packages", "push", file, "--repo", "no-such-repo", "--name", "a", "--version", "1")).AssertFailed(ExitCodes.Refused, "HTTP 404");

        ep.ApiKey = await ep.App.CreateUserWithKeyAsync($"tm-{Guid.NewGuid():N}@example.com", Roles.TokenManager);
        (await ep.RunAsync("packages", "push", file, "--repo", DownloadApp.Repo, "--name", "a", "--version", "1")).AssertFailed(ExitCodes.Refused, "HTTP 403");
    }

    public void Dispose() => ep.Dispose();
}
