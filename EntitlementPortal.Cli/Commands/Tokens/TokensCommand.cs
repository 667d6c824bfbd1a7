using System.CommandLine;

namespace EntitlementPortal.Cli.Commands.Tokens;

/// <summary><c>ep tokens</c>: a repository's entitlement tokens, their restrictions, lifecycle and usage.</summary>
public static class TokensCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("tokens", "Entitlement tokens: list, show, create, update, enable, disable, refresh, reset, delete, sync, usage.")
        {
            TokenQueryCommands.List(context), TokenQueryCommands.Show(context),
            TokenEditCommands.Create(context), TokenEditCommands.Update(context),
            TokenLifecycleCommands.Lifecycle(context, "enable", "Enable a disabled token.", "enable", confirm: null),
            TokenLifecycleCommands.Lifecycle(context, "disable", "Disable a token: its downloads are refused until it is enabled again.", "disable", confirm: null),
            TokenLifecycleCommands.Refresh(context),
            TokenLifecycleCommands.Lifecycle(context, "reset", "Reset a token's usage counters (the history stays).", "reset", confirm: "Reset the usage counters of token {0}?"),
            TokenLifecycleCommands.Delete(context), TokenLifecycleCommands.Sync(context), TokenQueryCommands.Usage(context),
        };
        return command.WithExamples(
            "ep tokens list acme-agent",
            "ep tokens create acme-agent --name \"Acme Corp\" --customer 12 --limit-downloads 10 --limit-bandwidth 10GB --valid-to 2027-08-01",
            "ep tokens disable acme-agent 42",
            "ep tokens usage acme-agent 42 --output json");
    }

    public static string TokensPath(string repo) => $"repos/{Uri.EscapeDataString(repo)}/entitlements";

    public static string TokenPath(string repo, int id) => $"{TokensPath(repo)}/{id}";
}
