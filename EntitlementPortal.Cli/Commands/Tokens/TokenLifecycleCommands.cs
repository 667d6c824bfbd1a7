using System.CommandLine;
using EntitlementPortal.Cli.Client;
using EntitlementPortal.Cli.Client.Models;
using EntitlementPortal.Cli.Input;

namespace EntitlementPortal.Cli.Commands.Tokens;

/// <summary><c>ep tokens enable|disable|reset|refresh|delete|sync</c>: what happens to a token over its life.</summary>
public static class TokenLifecycleCommands
{
    /// <summary>enable, disable and reset: a POST to the token's action route, answered with the token.</summary>
    public static Command Lifecycle(CliContext context, string verb, string description, string route, string? confirm)
    {
        var (repo, id) = (CommonOptions.Repo(), CommonOptions.Id("The token's id."));
        var command = new Command(verb, description) { repo, id };
        var yes = CommonOptions.Yes();
        if (confirm is not null)
        {
            command.Add(yes);
        }
        command.WithExamples($"ep tokens {verb} acme-agent 42" + (confirm is null ? "" : " --yes"));
        command.SetAction(async (parse, ct) =>
        {
            var tokenId = parse.GetValue(id);
            if (confirm is not null)
            {
                context.Confirm(parse.GetValue(yes), string.Format(System.Globalization.CultureInfo.InvariantCulture, confirm, tokenId));
            }
            using var client = context.Connect();
            var result = await client.PostAsync<TokenView>($"{TokensCommand.TokenPath(parse.GetValue(repo)!, tokenId)}/{route}", null, ct);
            context.Print(parse, result, t => TokenOutput.WriteDetails(context.Output, t));
            return ExitCodes.Ok;
        });
        return command;
    }

    public static Command Refresh(CliContext context)
    {
        var (repo, id) = (CommonOptions.Repo(), CommonOptions.Id("The token's id."));
        var grace = CommonOptions.IdOption("--grace-seconds", "How long the old secret keeps working (default 0).");
        var yes = CommonOptions.Yes();
        var command = new Command("refresh", "Give a token a new secret; the old one stops working (after --grace-seconds).") { repo, id, grace, yes };
        command.WithExamples("ep tokens refresh acme-agent 42 --grace-seconds 3600 --yes");
        command.SetAction(async (parse, ct) =>
        {
            var tokenId = parse.GetValue(id);
            context.Confirm(parse.GetValue(yes), $"Replace the secret of token {tokenId}?");
            using var client = context.Connect();
            var body = parse.GetValue(grace) is { } seconds ? new TokenRefreshRequest(seconds) : null;
            var result = await client.PostAsync<TokenView>($"{TokensCommand.TokenPath(parse.GetValue(repo)!, tokenId)}/refresh", body, ct);
            context.Print(parse, result, t => TokenOutput.WriteDetails(context.Output, t));
            return ExitCodes.Ok;
        });
        return command;
    }

    public static Command Delete(CliContext context)
    {
        var (repo, id) = (CommonOptions.Repo(), CommonOptions.Id("The token's id."));
        var yes = CommonOptions.Yes();
        var command = new Command("delete", "Delete a token: its secret never works again (its history stays).") { repo, id, yes };
        command.WithExamples("ep tokens delete acme-agent 42 --yes");
        command.SetAction(async (parse, ct) =>
        {
            var tokenId = parse.GetValue(id);
            context.Confirm(parse.GetValue(yes), $"Delete token {tokenId}?");
            using var client = context.Connect();
            await client.DeleteAsync(TokensCommand.TokenPath(parse.GetValue(repo)!, tokenId), ct);
            if (!context.WantsJson(parse))
            {
                context.Output.WriteLine($"Deleted token {tokenId}.");
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    public static Command Sync(CliContext context)
    {
        var target = CommonOptions.Repo("TARGET");
        var source = new Option<string>("--source") { Description = "The repository whose tokens to copy.", Required = true, HelpName = "SOURCE" };
        var yes = CommonOptions.Yes();
        var command = new Command("sync", "Make TARGET's tokens match SOURCE's (TARGET's other tokens are deleted).") { target, source, yes };
        command.WithExamples("ep tokens sync acme-agent-v3 --source acme-agent --yes");
        command.SetAction(async (parse, ct) =>
        {
            var targetRepo = parse.GetValue(target)!;
            var sourceRepo = parse.GetValue(source)!;
            context.Confirm(parse.GetValue(yes), $"Make the tokens of '{targetRepo}' match '{sourceRepo}' (tokens only in '{targetRepo}' are deleted)?");
            using var client = context.Connect();
            var result = await client.PostAsync<TokenSyncResult>($"{TokensCommand.TokensPath(targetRepo)}/sync", new TokenSyncRequest(sourceRepo), ct);
            context.Print(parse, result, r =>
                context.Output.WriteLine($"Synced {targetRepo} from {sourceRepo}: {r.Created} created, {r.Updated} updated, {r.Deleted} deleted."));
            return ExitCodes.Ok;
        });
        return command;
    }
}
