namespace EntitlementPortal.Cli.Terminal;

/// <summary>What the CLI reads from its surroundings, so that tests can stand in for a terminal and a home folder.</summary>
public interface IConsoleEnvironment
{
    string? GetVariable(string name);

    /// <summary>Someone is at a terminal who can answer a question (stdin and stderr are not redirected).</summary>
    bool IsInteractive { get; }

    string? ReadLine();

    /// <summary>A line typed without echo (an API key).</summary>
    string? ReadSecret();

    string HomeDirectory { get; }
}

public sealed class SystemConsoleEnvironment : IConsoleEnvironment
{
    public string? GetVariable(string name) => Environment.GetEnvironmentVariable(name);

    public bool IsInteractive => !Console.IsInputRedirected && !Console.IsErrorRedirected;

    public string? ReadLine() => Console.ReadLine();

    public string? ReadSecret()
    {
        var secret = new System.Text.StringBuilder();
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter)
            {
                Console.Error.WriteLine();
                return secret.ToString();
            }
            if (key.Key == ConsoleKey.Backspace)
            {
                if (secret.Length > 0)
                {
                    secret.Length--;
                }
            }
            else if (!char.IsControl(key.KeyChar))
            {
                secret.Append(key.KeyChar);
            }
        }
    }

    public string HomeDirectory => Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
}
