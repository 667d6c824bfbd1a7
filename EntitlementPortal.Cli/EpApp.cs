using System.CommandLine;
using System.CommandLine.Invocation;
using EntitlementPortal.Cli.Client;
using EntitlementPortal.Cli.Commands;
using EntitlementPortal.Cli.Commands.Audit;
using EntitlementPortal.Cli.Commands.Completion;
using EntitlementPortal.Cli.Commands.Customers;
using EntitlementPortal.Cli.Commands.Downloads;
using EntitlementPortal.Cli.Commands.Login;
using EntitlementPortal.Cli.Commands.Packages;
using EntitlementPortal.Cli.Commands.Repos;
using EntitlementPortal.Cli.Commands.Tokens;
using EntitlementPortal.Cli.Terminal;

namespace EntitlementPortal.Cli;

/// <summary>
/// The whole program behind one call, so tests run it in-process: parse, run the command, and turn every way it can
/// end into one of the documented exit codes and at most one line on stderr (never a stack trace).
/// </summary>
public static class EpApp
{
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, IConsoleEnvironment environment,
        HttpMessageHandler? handler = null, CancellationToken cancellationToken = default)
    {
        var context = new CliContext(output, error, environment, handler);
        var root = BuildCommand(context);
        // "@file.json" is a metadata value here, never a response file of more arguments.
        var parse = root.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
        if (parse.Errors.Count > 0 && parse.Action is ParseErrorAction)
        {
            var path = new List<string>();
            for (var result = parse.CommandResult; result is not null; result = result.Parent as System.CommandLine.Parsing.CommandResult)
            {
                path.Insert(0, result.Parent is null ? "ep" : result.Command.Name);
            }
            var command = string.Join(' ', path);
            error.WriteLine($"ep: {string.Join(" ", parse.Errors.Select(e => OneLine(e.Message)).Distinct())} (see '{command} --help')");
            return ExitCodes.Usage;
        }
        try
        {
            return await parse.InvokeAsync(new InvocationConfiguration
            {
                Output = output,
                Error = error,
                EnableDefaultExceptionHandler = false,
            }, cancellationToken);
        }
        catch (UsageException ex)
        {
            error.WriteLine($"ep: {ex.Message}");
            return ExitCodes.Usage;
        }
        catch (ApiProblemException ex)
        {
            error.WriteLine($"ep: {ex.ToOneLine()}");
            return ExitCodes.Refused;
        }
        catch (PortalUnreachableException ex)
        {
            error.WriteLine($"ep: {ex.Message}");
            return ExitCodes.Unreachable;
        }
        catch (ConfirmationDeclinedException ex)
        {
            error.WriteLine($"ep: {ex.Message}");
            return ExitCodes.Refused;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            error.WriteLine("ep: interrupted.");
            return ExitCodes.Refused;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A local file that cannot be read or written (an export into a missing folder): the command line's
            // path is wrong, not the portal.
            error.WriteLine($"ep: {ex.Message}");
            return ExitCodes.Usage;
        }
#pragma warning disable CA1031 // The promise is one line and an exit code, never a stack trace, whatever went wrong.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            error.WriteLine($"ep: unexpected error: {ex.Message.ReplaceLineEndings(" ")}");
            return ExitCodes.Refused;
        }
    }

    private static string OneLine(string message) =>
        string.Join(' ', message.ReplaceLineEndings(" ").Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries));

    public static RootCommand BuildCommand(CliContext context)
    {
        var root = new RootCommand("ep: manage an EntitlementPortal (repositories, customers, tokens, packages, downloads) from a shell or a release pipeline.")
        {
            context.OutputOption,
            LoginCommand.Create(context),
            ReposCommand.Create(context),
            CustomersCommand.Create(context),
            TokensCommand.Create(context),
            PackagesCommand.Create(context),
            DownloadsCommand.Create(context),
            AuditCommand.Create(context),
            CompletionCommand.Create(),
        };
        root.WithExamples(
            "ep login --url https://portal.example.com --api-key $KEY",
            "ep tokens create acme-agent --name \"Acme Corp\" --customer 12 --limit-bandwidth 10GB --valid-to 2027-08-01",
            "ep packages push dist/acme-agent-2.1.0.tar.gz --repo acme-agent --name acme-agent --version 2.1.0",
            "ep downloads export --repo acme-agent --from 2026-11-01 --file downloads.csv",
            "ep tokens list acme-agent --output json");
        CommandExamples.AddToHelp(root);
        return root;
    }
}
