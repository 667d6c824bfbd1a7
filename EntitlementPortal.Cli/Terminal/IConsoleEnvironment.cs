namespace EntitlementPortal.Cli.Terminal;

/// <summary>What the CLI reads from its surroundings, so that tests can stand in for a terminal and a home folder.</summary>
public interface IConsoleEnvironment
{
    string? GetVariable(string name);

    /// <summary>Someone is at a terminal who can answer a question (stdin and stderr are not redirected).</summary>
    bool IsInteractive { get; }

    string? ReadLine();

    string HomeDirectory { get; }
}

public sealed class SystemConsoleEnvironment : IConsoleEnvironment
{
    public string? GetVariable(string name) => Environment.GetEnvironmentVariable(name);

    public bool IsInteractive => !Console.IsInputRedirected && !Console.IsErrorRedirected;

    public string? ReadLine() => Console.ReadLine();

    public string HomeDirectory => Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
}
