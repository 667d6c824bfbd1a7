using System.Text.Json;
using EntitlementPortal.Cli;
using EntitlementPortal.Cli.Terminal;
using EntitlementPortal.Tests.Downloads;
using EntitlementPortal.Tests.Support;

namespace EntitlementPortal.Tests.Cli;

/// <summary>
/// One real portal on Kestrel for every CLI test class (they make their own repositories, customers and tokens), so
/// the app starts once; the commands run in-process over real HTTP.
/// </summary>
[CollectionDefinition(Name)]
public sealed class CliCollection : ICollectionFixture<DownloadApp>
{
    public const string Name = "ep against the real portal";
}

/// <summary>A terminal (or a script) as the CLI sees it: variables, a home folder, answers typed at prompts.</summary>
public sealed class TestConsole(string home) : IConsoleEnvironment
{
    public Dictionary<string, string?> Variables { get; } = new();
    public Queue<string> Answers { get; } = new();
    public bool IsInteractive { get; set; }

    public string? GetVariable(string name) => Variables.GetValueOrDefault(name);

    public string? ReadLine() => Answers.TryDequeue(out var answer) ? answer : null;

    public string? ReadSecret() => ReadLine();

    public string HomeDirectory => home;
}

public sealed record CliResult(int ExitCode, string Output, string Error)
{
    public JsonElement Json => JsonSerializer.Deserialize<JsonElement>(Output);

    /// <summary>Refusals and usage errors are one line on stderr and never a stack trace.</summary>
    public CliResult AssertFailed(int exitCode, string? messagePart = null)
    {
        Assert.True(ExitCode == exitCode, $"Expected exit {exitCode}, got {ExitCode}.\nstdout: {Output}\nstderr: {Error}");
        // A prompt answered at a terminal ends without a newline (the terminal echoes it): look past it.
        var line = Assert.Single(Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        line = line[line.IndexOf("ep: ", StringComparison.Ordinal)..];
        Assert.DoesNotContain("   at ", Error);
        Assert.DoesNotContain("Exception", Error);
        if (messagePart is not null)
        {
            Assert.Contains(messagePart, line);
        }
        return this;
    }

    public CliResult AssertOk()
    {
        Assert.True(ExitCode == ExitCodes.Ok, $"Expected exit 0, got {ExitCode}.\nstdout: {Output}\nstderr: {Error}");
        return this;
    }
}

/// <summary>
/// Runs <c>ep</c> in-process against <paramref name="portal"/> as a logged-in script would (EP_URL, EP_API_KEY) with
/// its own config folder, so nothing is written to the real home.
/// </summary>
public sealed class CliRunner(DownloadApp portal) : IDisposable
{
    private readonly TempDirectory home = new();

    public string Home => home.Path;
    public string PortalUrl => portal.App.RootUri.ToString().TrimEnd('/');
    public ApiAppFactory App => portal.App;

    public string? ApiKey { get; set; } = ApiAppFactory.AdminApiKey;
    public bool Interactive { get; set; }
    public Queue<string> Answers { get; } = new();
    public Dictionary<string, string?> Variables { get; } = new();

    public Task<CliResult> RunAsync(params string[] args) => RunAsync(args, loggedInByEnvironment: true);

    /// <summary>Without EP_URL/EP_API_KEY: the command uses what <c>ep login</c> stored.</summary>
    public Task<CliResult> RunWithStoredLoginAsync(params string[] args) => RunAsync(args, loggedInByEnvironment: false);

    private async Task<CliResult> RunAsync(string[] args, bool loggedInByEnvironment)
    {
        var console = new TestConsole(home.Path) { IsInteractive = Interactive };
        console.Variables["XDG_CONFIG_HOME"] = home.File("config");
        if (loggedInByEnvironment)
        {
            console.Variables["EP_URL"] = PortalUrl;
            console.Variables["EP_API_KEY"] = ApiKey;
        }
        foreach (var (name, value) in Variables)
        {
            console.Variables[name] = value;
        }
        while (Answers.TryDequeue(out var answer))
        {
            console.Answers.Enqueue(answer);
        }
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await EpApp.RunAsync(args, output, error, console, cancellationToken: TestContext.Current.CancellationToken);
        return new CliResult(exit, output.ToString(), error.ToString());
    }

    public void Dispose() => home.Dispose();
}
