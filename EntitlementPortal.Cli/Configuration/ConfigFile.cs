using System.Text.Json;
using EntitlementPortal.Cli.Client;
using EntitlementPortal.Cli.Terminal;

namespace EntitlementPortal.Cli.Configuration;

/// <summary>
/// The per-user file that keeps the portal URL and API key: <c>$EP_CONFIG</c>, else
/// <c>$XDG_CONFIG_HOME/ep/config.json</c>, else <c>~/.config/ep/config.json</c>. The key is a credential, so the
/// file is created readable by its owner only (0600) and never widened afterwards.
/// </summary>
public sealed class ConfigFile(IConsoleEnvironment environment)
{
    public const string PathVariable = "EP_CONFIG";

    public string Path
    {
        get
        {
            if (environment.GetVariable(PathVariable) is { Length: > 0 } explicitPath)
            {
                return explicitPath;
            }
            var configHome = environment.GetVariable("XDG_CONFIG_HOME") is { Length: > 0 } xdg
                ? xdg
                : System.IO.Path.Combine(environment.HomeDirectory, ".config");
            return System.IO.Path.Combine(configHome, "ep", "config.json");
        }
    }

    public PortalConnection? Read()
    {
        var path = Path;
        if (!File.Exists(path))
        {
            return null;
        }
        try
        {
            return JsonSerializer.Deserialize<PortalConnection>(File.ReadAllText(path), ApiJson.Options);
        }
        catch (JsonException)
        {
            throw new UsageException($"The configuration file {path} is not valid JSON; run 'ep login' again.");
        }
    }

    public void Write(PortalConnection connection)
    {
        var path = Path;
        var folder = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!;
        Directory.CreateDirectory(folder);
        var temporary = path + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        using (var stream = new FileStream(temporary, options))
        {
            JsonSerializer.Serialize(stream, connection, ApiJson.Indented);
        }
        if (!OperatingSystem.IsWindows())
        {
            // UnixCreateMode applies only to a new file; a leftover temporary file keeps its old mode.
            File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        File.Move(temporary, path, overwrite: true);
    }
}
