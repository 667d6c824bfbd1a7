using System.CommandLine;
using EntitlementPortal.Cli.Client.Models;
using EntitlementPortal.Cli.Configuration;

namespace EntitlementPortal.Cli.Commands.Login;

/// <summary><c>ep login</c>: checks the URL and key against the portal, then keeps them in the per-user file.</summary>
public static class LoginCommand
{
    public static Command Create(CliContext context)
    {
        var url = new Option<string?>("--url") { Description = "The portal's address, e.g. https://portal.example.com.", HelpName = "URL" };
        var apiKey = new Option<string?>("--api-key") { Description = "A personal API key from the portal's API keys page (asked for at a terminal when left out).", HelpName = "KEY" };
        var command = new Command("login", $"Check and store the portal URL and API key ({ConnectionResolver.UrlVariable} and {ConnectionResolver.ApiKeyVariable} override them).")
        {
            url, apiKey,
        };
        command.WithExamples(
            "ep login --url https://portal.example.com --api-key $EP_KEY",
            "ep login --url https://portal.example.com        # asks for the key",
            "EP_URL=https://portal.example.com EP_API_KEY=$KEY ep repos list   # no stored login needed");
        command.SetAction(async (parse, ct) =>
        {
            var env = context.Environment;
            var givenUrl = parse.GetValue(url) ?? env.GetVariable(ConnectionResolver.UrlVariable)
                ?? throw new UsageException("Give the portal's address with --url.");
            var portalUrl = PortalUrl.Parse(givenUrl, "--url");
            var key = parse.GetValue(apiKey) ?? env.GetVariable(ConnectionResolver.ApiKeyVariable) ?? AskForKey(context);
            var connection = new PortalConnection(portalUrl, key.Trim());

            using (var client = context.CreateClient(connection))
            {
                // Any authenticated call proves the key; listing one repository is the cheapest every role may make.
                await client.GetAsync<Page<RepositoryView>>("repos?pageSize=1", ct);
            }
            context.Config.Write(connection);
            context.Output.WriteLine($"Logged in to {portalUrl}; the key is stored in {context.Config.Path}.");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static string AskForKey(CliContext context)
    {
        if (!context.Environment.IsInteractive)
        {
            throw new UsageException("Give the API key with --api-key (or EP_API_KEY).");
        }
        context.Error.Write("API key: ");
        context.Error.Flush();
        return context.Environment.ReadSecret() is { Length: > 0 } key
            ? key
            : throw new UsageException("No API key given.");
    }
}
