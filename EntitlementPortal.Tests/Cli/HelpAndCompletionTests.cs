using System.CommandLine;
using EntitlementPortal.Cli;
using EntitlementPortal.Cli.Commands;
using EntitlementPortal.Tests.Support;

namespace EntitlementPortal.Tests.Cli;

/// <summary>Help, completion and parse errors need no portal.</summary>
public sealed class HelpAndCompletionTests : IDisposable
{
    private readonly TempDirectory home = new();

    private async Task<CliResult> RunAsync(params string[] args)
    {
        var console = new TestConsole(home.Path);
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await EpApp.RunAsync(args, output, error, console, cancellationToken: TestContext.Current.CancellationToken);
        return new CliResult(exit, output.ToString(), error.ToString());
    }

    public static TheoryData<string> EveryCommand()
    {
        var root = EpApp.BuildCommand(new CliContext(TextWriter.Null, TextWriter.Null, new TestConsole(Path.GetTempPath()), null));
        var paths = new TheoryData<string>();
        void Walk(Command command, string path)
        {
            paths.Add(path);
            foreach (var sub in command.Subcommands)
            {
                Walk(sub, (path + " " + sub.Name).Trim());
            }
        }
        Walk(root, "");
        return paths;
    }

    [Theory]
    [MemberData(nameof(EveryCommand))]
    public async Task Every_command_has_help_with_examples(string command)
    {
        var args = command.Split(' ', StringSplitOptions.RemoveEmptyEntries).Append("--help").ToArray();

        var help = (await RunAsync(args)).AssertOk().Output;

        Assert.Contains("Usage:", help);
        var examples = help[help.IndexOf("Examples:", StringComparison.Ordinal)..];
        Assert.Contains("  ep " + command, examples);
    }

    [Fact]
    public async Task An_unknown_option_is_exit_2_with_one_line_that_points_at_the_help()
    {
        (await RunAsync("tokens", "list", "acme", "--colour", "red")).AssertFailed(ExitCodes.Usage, "see 'ep tokens list --help'");
        (await RunAsync("tokens", "show", "acme", "twelve")).AssertFailed(ExitCodes.Usage, "'twelve' is not a positive whole number");
        (await RunAsync("tokens", "list", "acme", "--output", "yaml")).AssertFailed(ExitCodes.Usage, "yaml");
    }

    [Fact]
    public async Task Completion_prints_a_script_and_ep_completes_its_own_commands_and_options()
    {
        Assert.Contains("complete -o default -F _ep_complete ep", (await RunAsync("completion", "bash")).AssertOk().Output);
        Assert.Contains("compdef _ep_complete ep", (await RunAsync("completion", "zsh")).AssertOk().Output);

        var line = "ep tokens cr";
        var commands = (await RunAsync($"[suggest:{line.Length}]", line)).AssertOk().Output;
        Assert.Equal(["create"], commands.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

        line = "ep tokens create acme --limit-b";
        var options = (await RunAsync($"[suggest:{line.Length}]", line)).AssertOk().Output;
        Assert.Contains("--limit-bandwidth", options);
    }

    [Fact]
    public async Task Version_prints_the_tool_version()
    {
        Assert.Matches(@"^\d+\.\d+\.\d+", (await RunAsync("--version")).AssertOk().Output);
    }

    public void Dispose() => home.Dispose();
}
