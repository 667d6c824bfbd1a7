using System.Net;
using EntitlementPortal.Tests.Downloads;
using EntitlementPortal.Tests.Support;

namespace EntitlementPortal.Tests.Formats.NuGet;

/// <summary>
/// dotnet pack and push with an API key, then dotnet restore and run from the portal as the only source, with a token
/// in the URL and with Basic credentials in nuget.config; and the clean failures a customer sees.
/// </summary>
public sealed class NuGetClientTests : DownloadTestBase
{
    private const string Id = "Acme.Greeter";
    private const string Greeting = "hello from acme";
    private readonly NuGetCli cli = new();

    private string Feed(string form) => $"{App.RootUri}dl/{form}/{Repo}/nuget/v3/index.json";

    private string PushSource => $"{App.RootUri}api/v1/repos/{Repo}/nuget/v3/index.json";

    private async Task<ExternalTool.Result> PushAsync(string nupkg) =>
        await cli.RunAsync(cli.Root, "nuget", "push", nupkg, "-s", "portal", "-k", ApiAppFactory.AdminApiKey,
            "--configfile", cli.WriteConfig("push", PushSource));

    private async Task<ExternalTool.Result> RestoreAsync(string project, string config)
    {
        cli.UseFreshPackagesFolder();
        // No HTTP cache: every restore asks the portal, as a fresh CI machine does.
        return await cli.RunAsync(project, "restore", "--configfile", config, "--no-http-cache", "-nodeReuse:false", "--disable-build-servers");
    }

    [Fact]
    public async Task Pushed_with_an_api_key_it_restores_and_runs_with_the_token_in_the_url_and_with_basic_credentials()
    {
        var nupkg = await cli.PackAsync(Id, "1.2.0", Greeting);
        (await PushAsync(nupkg)).EnsureSuccess("dotnet nuget push");
        var (id, token) = await CreateTokenAsync(new { name = "Globex" });

        var app = await cli.ConsumerAsync(Id, "1.2.0");
        (await RestoreAsync(app, cli.WriteConfig("token", Feed(token)))).EnsureSuccess("dotnet restore (token form)");
        var run = (await cli.RunAsync(app, "run", "--no-restore", "-nodeReuse:false")).EnsureSuccess("dotnet run");
        Assert.Contains(Greeting, run.StandardOutput, StringComparison.Ordinal);

        var basic = await cli.ConsumerAsync(Id, "1.2.0");
        (await RestoreAsync(basic, cli.WriteConfig("basic", Feed("basic"), ("token", token)))).EnsureSuccess("dotnet restore (basic form)");

        // Two restores into empty package folders: two .nupkg downloads; the feed's indexes count nothing.
        Assert.Equal(2, (await TokenAsync(id)).GetProperty("downloads").GetInt64());
        var package = await (await Api.GetAsync($"/api/v1/repos/{Repo}/packages?q=format:nuget", Ct)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Contains("\"acme.greeter\"", package.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pushing_a_version_again_fails_with_409_and_keeps_the_first()
    {
        var nupkg = await cli.PackAsync(Id, "1.0.0", Greeting);
        (await PushAsync(nupkg)).EnsureSuccess("dotnet nuget push");

        var again = await PushAsync(nupkg);

        Assert.NotEqual(0, again.ExitCode);
        Assert.Contains("409", again.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Restore_fails_cleanly_when_the_query_hides_the_package_and_when_the_limit_is_used_up()
    {
        (await PushAsync(await cli.PackAsync(Id, "1.2.0", Greeting))).EnsureSuccess("dotnet nuget push");
        var (_, hidden) = await CreateTokenAsync(new { name = "Raw only", limitPackageQuery = "format:raw" });
        var (_, once) = await CreateTokenAsync(new { name = "Once", limitDownloads = 1 });
        var app = await cli.ConsumerAsync(Id, "1.2.0");

        var notVisible = await RestoreAsync(app, cli.WriteConfig("hidden", Feed(hidden)));
        Assert.NotEqual(0, notVisible.ExitCode);
        Assert.Contains("NU1101", notVisible.Output, StringComparison.Ordinal);

        (await RestoreAsync(app, cli.WriteConfig("once", Feed(once)))).EnsureSuccess("dotnet restore (first, within the limit)");
        var usedUp = await RestoreAsync(app, cli.WriteConfig("once", Feed(once)));
        Assert.NotEqual(0, usedUp.ExitCode);
        Assert.Contains("403", usedUp.Output, StringComparison.Ordinal);
    }

    public override async ValueTask DisposeAsync()
    {
        cli.Dispose();
        await base.DisposeAsync();
    }
}
