using System.CommandLine;

namespace EntitlementPortal.Cli.Commands.Completion;

/// <summary>
/// <c>ep completion bash|zsh</c> prints a script that asks ep itself for completions (System.CommandLine's
/// [suggest] directive), so they always match the installed version's commands and options.
/// </summary>
public static class CompletionCommand
{
    private const string Bash = """
        # ep completion for bash: add `source <(ep completion bash)` to ~/.bashrc
        _ep_complete() {
            local IFS=$'\n'
            COMPREPLY=( $(ep "[suggest:${COMP_POINT}]" "${COMP_LINE}" 2>/dev/null) )
        }
        complete -o default -F _ep_complete ep
        """;

    private const string Zsh = """
        # ep completion for zsh: add `source <(ep completion zsh)` to ~/.zshrc
        _ep_complete() {
            local -a completions
            completions=("${(@f)$(ep "[suggest:${#BUFFER}]" "$BUFFER" 2>/dev/null)}")
            compadd -- $completions
        }
        compdef _ep_complete ep
        """;

    public static Command Create()
    {
        var shell = new Argument<string>("SHELL") { Description = "bash or zsh." };
        shell.AcceptOnlyFromAmong("bash", "zsh");
        var command = new Command("completion", "Print the shell completion script.") { shell };
        command.WithExamples(
            "ep completion bash > ~/.local/share/bash-completion/completions/ep",
            "echo 'source <(ep completion zsh)' >> ~/.zshrc");
        command.SetAction(parse =>
        {
            parse.InvocationConfiguration.Output.WriteLine(parse.GetValue(shell) == "zsh" ? Zsh : Bash);
            return ExitCodes.Ok;
        });
        return command;
    }
}
