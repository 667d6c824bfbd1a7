using System.Text;
using EntitlementPortal.Tests.Support;

namespace EntitlementPortal.Tests.Formats.Npm;

/// <summary>
/// The real npm against the real app on loopback: a vendor publishes with an API key as _authToken, customers install
/// with their token in the registry URL or as HTTP Basic (_auth), and refusals fail the install as npm shows them.
/// </summary>
public sealed class NpmClientTests(NpmRegistryApp app) : IClassFixture<NpmRegistryApp>, IDisposable
{
    private readonly NpmCli npm = new();

    private string PublishAuthLine => $"//{new Uri(app.PublishRegistry).Authority}/api/v1/repos/{NpmRegistryApp.Repo}/npm/:_authToken={ApiAppFactory.AdminApiKey}";

    private string BasicAuthLine(string token) =>
        $"//{new Uri(app.BasicRegistry).Authority}/dl/basic/{NpmRegistryApp.Repo}/npm/:_auth={Convert.ToBase64String(Encoding.UTF8.GetBytes($"token:{token}"))}";

    private async Task PublishAsync(string name, string version, int x, params string[] extra)
    {
        npm.Configure(PublishAuthLine);
        (await npm.RunAsync(npm.PackageFolder(name, version, x), ["publish", "--registry", app.PublishRegistry, .. extra])).EnsureSuccess("npm publish");
    }

    private async Task<string> InstallAndRequireAsync(string spec, string name)
    {
        var project = npm.ConsumerProject();
        (await npm.RunAsync(project, "install", spec)).EnsureSuccess($"npm install {spec}");
        var run = await npm.NodeAsync(project, $"console.log(require('{name}').x)");
        return run.EnsureSuccess("node").StandardOutput.Trim();
    }

    [Fact]
    public async Task Npm_publishes_with_an_api_key_and_installs_with_the_token_in_the_url_and_with_basic_auth()
    {
        await PublishAsync("cli-plain", "1.0.0", x: 42);
        var (id, token) = await app.CreateTokenAsync(new { name = "customer" });

        npm.Configure($"registry={app.TokenRegistry(token)}");
        Assert.Equal("42", await InstallAndRequireAsync("cli-plain", "cli-plain"));

        npm.Configure($"registry={app.BasicRegistry}", BasicAuthLine(token));
        Assert.Equal("42", await InstallAndRequireAsync("cli-plain", "cli-plain"));

        // Two installs, two tarballs; the packuments npm read on the way were not counted.
        Assert.Equal(2, await app.DownloadsOfAsync(id));
    }

    [Fact]
    public async Task A_scoped_package_installs_through_a_scope_registry_and_publish_tag_next_sets_the_dist_tag()
    {
        await PublishAsync("@acme/cli-widget", "1.0.0", x: 1);
        await PublishAsync("@acme/cli-widget", "2.0.0-beta.1", x: 2, "--tag", "next");
        var (_, token) = await app.CreateTokenAsync(new { name = "customer" });

        npm.Configure($"@acme:registry={app.BasicRegistry}", BasicAuthLine(token));
        Assert.Equal("1", await InstallAndRequireAsync("@acme/cli-widget", "@acme/cli-widget"));
        Assert.Equal("2", await InstallAndRequireAsync("@acme/cli-widget@next", "@acme/cli-widget"));

        npm.Configure($"@acme:registry={app.TokenRegistry(token)}");
        Assert.Equal("1", await InstallAndRequireAsync("@acme/cli-widget@1.0.0", "@acme/cli-widget"));
    }

    [Fact]
    public async Task Publishing_a_version_again_fails_with_403()
    {
        await PublishAsync("cli-twice", "1.0.0", x: 1);

        npm.Configure(PublishAuthLine);
        var again = await npm.RunAsync(npm.PackageFolder("cli-twice", "1.0.0", x: 2), "publish", "--registry", app.PublishRegistry);

        Assert.NotEqual(0, again.ExitCode);
        Assert.Contains("E403", again.Output);
        Assert.Contains("cannot publish over the previously published versions", again.Output);
    }

    [Fact]
    public async Task Installing_fails_cleanly_when_the_token_may_not_see_the_package_or_its_limit_is_used_up()
    {
        await PublishAsync("cli-guarded", "1.0.0", x: 7);
        var (_, hidden) = await app.CreateTokenAsync(new { name = "other product", limitPackageQuery = "name:something-else" });
        var (limitedId, limited) = await app.CreateTokenAsync(new { name = "one download", limitDownloads = 1 });

        npm.Configure($"registry={app.TokenRegistry(hidden)}");
        var notVisible = await npm.RunAsync(npm.ConsumerProject(), "install", "cli-guarded");
        Assert.NotEqual(0, notVisible.ExitCode);
        Assert.Contains("E404", notVisible.Output);

        npm.Configure($"registry={app.BasicRegistry}", BasicAuthLine(limited));
        Assert.Equal("7", await InstallAndRequireAsync("cli-guarded", "cli-guarded"));
        var usedUp = await npm.RunAsync(npm.ConsumerProject(), "install", "cli-guarded");
        Assert.NotEqual(0, usedUp.ExitCode);
        Assert.Contains("E403", usedUp.Output);
        Assert.Equal(1, await app.DownloadsOfAsync(limitedId));
    }

    public void Dispose() => npm.Dispose();
}
