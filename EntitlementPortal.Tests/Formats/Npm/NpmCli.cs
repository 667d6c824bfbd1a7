using EntitlementPortal.Tests.Support;

namespace EntitlementPortal.Tests.Formats.Npm;

/// <summary>
/// The real npm, isolated: its own HOME, cache, user and global config in a temp folder, no audit, fund or update
/// check, no retries (a retry would hide a wrong status). The portal is the only registry it is told about.
/// </summary>
public sealed class NpmCli : IDisposable
{
    private readonly TempDirectory home = new();
    private readonly string npm;

    public NpmCli()
    {
        npm = ExternalTool.Require("npm");
        Node = ExternalTool.Require("node");
    }

    public string Node { get; }

    public string UserConfig => home.File(".npmrc");

    /// <summary>A fresh folder inside this client's temp home.</summary>
    public string NewFolder(string name)
    {
        var path = home.File(name);
        Directory.CreateDirectory(path);
        return path;
    }

    /// <summary>Writes the user .npmrc (the lines a customer or vendor would paste).</summary>
    public void Configure(params string[] lines) => File.WriteAllText(UserConfig, string.Join('\n', lines) + "\n");

    public Task<ExternalTool.Result> RunAsync(string workingDirectory, params string[] arguments) =>
        ExternalTool.RunAsync(npm, arguments, workingDirectory, Environment(), TimeSpan.FromMinutes(3));

    public Task<ExternalTool.Result> NodeAsync(string workingDirectory, string script) =>
        ExternalTool.RunAsync(Node, ["-e", script], workingDirectory, Environment(), TimeSpan.FromMinutes(1));

    /// <summary>A folder with package.json and index.js exporting <c>x</c>, as a vendor has before <c>npm publish</c>.</summary>
    public string PackageFolder(string name, string version, int x)
    {
        var folder = NewFolder("src-" + Guid.NewGuid().ToString("N"));
        File.WriteAllText(Path.Combine(folder, "package.json"), NpmTestPackages.PackageJson(name, version, extra: ",\"license\":\"UNLICENSED\""));
        File.WriteAllText(Path.Combine(folder, "index.js"), $"module.exports = {{ x: {x} }};\n");
        return folder;
    }

    /// <summary>An empty project to install into, with a fresh cache each time so every install really downloads.</summary>
    public string ConsumerProject()
    {
        var folder = NewFolder("app-" + Guid.NewGuid().ToString("N"));
        File.WriteAllText(Path.Combine(folder, "package.json"), """{"name":"consumer","version":"1.0.0","private":true}""");
        return folder;
    }

    private Dictionary<string, string> Environment() => new()
    {
        ["HOME"] = home.Path,
        ["npm_config_cache"] = home.File("cache-" + Guid.NewGuid().ToString("N")),
        ["npm_config_userconfig"] = UserConfig,
        ["npm_config_globalconfig"] = home.File("global-npmrc"),
        ["npm_config_audit"] = "false",
        ["npm_config_fund"] = "false",
        ["npm_config_update_notifier"] = "false",
        ["npm_config_fetch_retries"] = "0",
        ["npm_config_loglevel"] = "http",
        ["NO_UPDATE_NOTIFIER"] = "1",
    };

    public void Dispose() => home.Dispose();
}
