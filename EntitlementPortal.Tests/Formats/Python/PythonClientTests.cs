using EntitlementPortal.Features.Formats;
using EntitlementPortal.Features.Formats.Python;
using EntitlementPortal.Tests.Downloads;
using EntitlementPortal.Tests.Support;

namespace EntitlementPortal.Tests.Formats.Python;

/// <summary>
/// The real clients against the real app on loopback: twine publishes with an API key, pip installs into a fresh
/// venv with a token (token form and basic form) and the module imports. Every cache and config is in a temp dir;
/// the portal is the only index.
/// </summary>
public sealed class PythonClientTests : IClassFixture<DownloadApp>, IDisposable
{
    private static readonly TimeSpan Slow = TimeSpan.FromMinutes(4);
    private readonly DownloadApp app;
    private readonly TempDirectory temp = new();

    public PythonClientTests(DownloadApp app) => this.app = app;

    public void Dispose() => temp.Dispose();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string Root => $"http://127.0.0.1:{app.App.RootUri.Port}";

    private Dictionary<string, string> Environment(string? pipConfig = null) => new()
    {
        ["HOME"] = temp.Path,
        ["XDG_CACHE_HOME"] = temp.File("cache"),
        ["XDG_CONFIG_HOME"] = temp.File("config"),
        ["PIP_CONFIG_FILE"] = pipConfig ?? "/dev/null",
        ["PIP_DISABLE_PIP_VERSION_CHECK"] = "1",
        ["PIP_NO_INPUT"] = "1",
        // The machine's own find-links folder must not be a second source: the portal is the only one.
        ["PIP_FIND_LINKS"] = "",
        ["PYTHONNOUSERSITE"] = "1",
        ["TWINE_NON_INTERACTIVE"] = "1",
        ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.null.Keyring",
        ["NO_COLOR"] = "1",
    };

    private async Task<ExternalTool.Result> TwineAsync(params string[] files)
    {
        var twine = ExternalTool.Require("twine");
        return await ExternalTool.RunAsync(twine,
            ["upload", "--repository-url", $"{Root}/api/v1/repos/{DownloadApp.Repo}/python/", "-u", "__token__", "-p", ApiAppFactory.AdminApiKey,
                "--disable-progress-bar", "--non-interactive", .. files],
            temp.Path, Environment(), Slow);
    }

    private async Task<string> WriteAsync(string filename, byte[] content)
    {
        var path = temp.File(filename);
        await File.WriteAllBytesAsync(path, content, Ct);
        return path;
    }

    /// <summary>A fresh venv, then pip install of <paramref name="project"/> from the portal only.</summary>
    private async Task<(ExternalTool.Result Pip, string Venv)> PipInstallAsync(string project, string? indexUrl, string? pipConfig = null)
    {
        var python = ExternalTool.Require("python3");
        var venv = temp.File("venv-" + Guid.NewGuid().ToString("N")[..8]);
        (await ExternalTool.RunAsync(python, ["-m", "venv", venv], temp.Path, Environment(), Slow)).EnsureSuccess("python3 -m venv");
        List<string> arguments = ["-m", "pip", "install", "--no-cache-dir", "--no-deps", "--retries", "0", "--timeout", "60"];
        if (indexUrl is not null)
        {
            arguments.AddRange(["--index-url", indexUrl]);
        }
        arguments.Add(project);
        var pip = await ExternalTool.RunAsync(Path.Combine(venv, "bin", "python"), arguments, temp.Path, Environment(pipConfig), Slow);
        return (pip, venv);
    }

    private async Task<string> ImportAsync(string venv, string module) =>
        (await ExternalTool.RunAsync(Path.Combine(venv, "bin", "python"), ["-c", $"import {module}; print({module}.X)"], temp.Path, Environment(), Slow))
        .EnsureSuccess($"import {module}").StandardOutput.Trim();

    private async Task<long> DownloadsAsync(int tokenId) => (await app.TokenAsync(tokenId)).GetProperty("downloads").GetInt64();

    [Fact]
    public async Task Twine_publishes_a_wheel_and_an_sdist_and_pip_installs_with_the_token_form_and_the_basic_form()
    {
        var wheel = await WriteAsync(PythonDistributions.WheelFilename("Acme_Widgets", "1.0"), PythonDistributions.Wheel("Acme_Widgets", "1.0", "acme_widgets"));
        var sdist = await WriteAsync("Acme_Widgets-1.0.tar.gz", PythonDistributions.Sdist("Acme_Widgets", "1.0", "acme_widgets"));

        (await TwineAsync(wheel, sdist)).EnsureSuccess("twine upload");

        var (id, token) = await app.CreateTokenAsync(new { name = "pip customer" });
        var (pip, venv) = await PipInstallAsync("acme-widgets", $"{Root}/dl/{token}/{DownloadApp.Repo}/python/simple/");
        pip.EnsureSuccess("pip install (token form)");
        Assert.DoesNotContain("Looking in links", pip.Output, StringComparison.Ordinal);
        Assert.Equal("1.0", await ImportAsync(venv, "acme_widgets"));

        // The basic form, configured exactly as the portal's pip.conf snippet says (credentials in the index URL).
        var snippets = new PythonFormat().Snippets(new SnippetContext(Root, DownloadApp.Repo, token, ["acme-widgets"]));
        var conf = temp.File("pip.conf");
        await File.WriteAllTextAsync(conf, snippets.Single(s => s.Filename == "pip.conf").Text, Ct);
        var (basicPip, basicVenv) = await PipInstallAsync("Acme.Widgets", indexUrl: null, pipConfig: conf);
        basicPip.EnsureSuccess("pip install (basic form, pip.conf)");
        Assert.Equal("1.0", await ImportAsync(basicVenv, "acme_widgets"));
        Assert.DoesNotContain(token, basicPip.Output, StringComparison.Ordinal);

        // Two installs, two wheels downloaded; the index pages pip read were not counted.
        Assert.Equal(2, await DownloadsAsync(id));
    }

    [Fact]
    public async Task Twine_gets_400_with_the_reason_for_the_same_file_again_and_skip_existing_passes()
    {
        var wheel = await WriteAsync(PythonDistributions.WheelFilename("twice", "2.0"), PythonDistributions.Wheel("twice", "2.0", "twice"));
        (await TwineAsync(wheel)).EnsureSuccess("first twine upload");

        var again = await TwineAsync(wheel);

        Assert.NotEqual(0, again.ExitCode);
        Assert.Contains("400 Bad Request", again.Output, StringComparison.Ordinal);
        Assert.Contains("File already exists", again.Output, StringComparison.Ordinal);
        var twine = ExternalTool.Require("twine");
        var skipped = await ExternalTool.RunAsync(twine,
            ["upload", "--skip-existing", "--repository-url", $"{Root}/api/v1/repos/{DownloadApp.Repo}/python/", "-u", "__token__",
                "-p", ApiAppFactory.AdminApiKey, "--disable-progress-bar", "--non-interactive", wheel],
            temp.Path, Environment(), Slow);
        skipped.EnsureSuccess("twine upload --skip-existing");
    }

    [Fact]
    public async Task Twine_shows_why_a_wheel_whose_name_contradicts_its_metadata_is_refused()
    {
        var wheel = await WriteAsync(PythonDistributions.WheelFilename("liar", "1.0"),
            PythonDistributions.Wheel("liar", "1.0", "liar", PythonDistributions.Metadata("honest", "1.0")));

        var refused = await TwineAsync(wheel);

        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("400 Bad Request", refused.Output, StringComparison.Ordinal);
        Assert.Contains("honest", refused.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pip_finds_no_distribution_when_the_token_query_hides_the_project()
    {
        var wheel = await WriteAsync(PythonDistributions.WheelFilename("hidden-thing", "1.0"), PythonDistributions.Wheel("hidden-thing", "1.0", "hidden_thing"));
        (await TwineAsync(wheel)).EnsureSuccess("twine upload");
        var (id, token) = await app.CreateTokenAsync(new { name = "narrow", limitPackageQuery = "name:other-thing" });

        var (pip, _) = await PipInstallAsync("hidden-thing", $"{Root}/dl/{token}/{DownloadApp.Repo}/python/simple/");

        Assert.NotEqual(0, pip.ExitCode);
        Assert.Contains("No matching distribution found for hidden-thing", pip.Output, StringComparison.Ordinal);
        Assert.Equal(0, await DownloadsAsync(id));
    }

    [Fact]
    public async Task Pip_fails_on_the_file_with_403_once_the_download_limit_is_used_up()
    {
        var wheel = await WriteAsync(PythonDistributions.WheelFilename("limited", "1.0"), PythonDistributions.Wheel("limited", "1.0", "limited"));
        (await TwineAsync(wheel)).EnsureSuccess("twine upload");
        var (id, token) = await app.CreateTokenAsync(new { name = "one download", limitDownloads = 1 });
        var index = $"{Root}/dl/{token}/{DownloadApp.Repo}/python/simple/";
        (await PipInstallAsync("limited", index)).Pip.EnsureSuccess("first pip install");

        var (pip, _) = await PipInstallAsync("limited", index);

        Assert.NotEqual(0, pip.ExitCode);
        // The contract's status for a used-up limit is 403 (a 429 is only for too many failed credentials); pip reads
        // the index (never limited) and fails on the wheel itself.
        Assert.True(pip.Output.Contains("HTTP error 403 while getting", StringComparison.Ordinal), pip.Output);
        Assert.Contains("/python/files/limited/1.0/limited-1.0-py3-none-any.whl", pip.Output, StringComparison.Ordinal);
        Assert.Equal(1, await DownloadsAsync(id));
    }

    [Fact]
    public void Snippets_give_pip_the_basic_and_token_forms_and_trust_a_plain_http_host()
    {
        var snippets = new PythonFormat().Snippets(new SnippetContext("http://portal.example:8080", "acme", null, ["acme-widgets"]));
        var all = string.Join("\n", snippets.Select(s => s.Text));

        Assert.Contains("pip install --index-url http://token:YOUR_TOKEN@portal.example:8080/dl/basic/acme/python/simple/ --trusted-host portal.example acme-widgets", all, StringComparison.Ordinal);
        Assert.Contains("pip install --index-url http://portal.example:8080/dl/YOUR_TOKEN/acme/python/simple/ --trusted-host portal.example acme-widgets", all, StringComparison.Ordinal);
        Assert.Contains("[global]\nindex-url = http://token:YOUR_TOKEN@portal.example:8080/dl/basic/acme/python/simple/\ntrusted-host = portal.example\n",
            snippets.Single(s => s.Filename == "pip.conf").Text, StringComparison.Ordinal);
        var https = new PythonFormat().Snippets(new SnippetContext("https://portal.example", "acme", "ent_abc", []));
        Assert.DoesNotContain("trusted-host", string.Join("\n", https.Select(s => s.Text)), StringComparison.Ordinal);
        Assert.Contains("https://token:ent_abc@portal.example/dl/basic/acme/python/simple/ PACKAGE", string.Join("\n", https.Select(s => s.Text)), StringComparison.Ordinal);
    }
}
