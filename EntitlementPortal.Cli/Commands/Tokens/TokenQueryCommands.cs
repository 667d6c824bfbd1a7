using System.CommandLine;
using EntitlementPortal.Cli.Client;
using EntitlementPortal.Cli.Client.Models;
using EntitlementPortal.Cli.Input;

namespace EntitlementPortal.Cli.Commands.Tokens;

/// <summary><c>ep tokens list|show|usage</c>: reading tokens and their usage.</summary>
public static class TokenQueryCommands
{
    public static Command List(CliContext context)
    {
        var repo = CommonOptions.Repo();
        var customer = CommonOptions.IdOption("--customer", "Only this customer's tokens.");
        var includeDeleted = new Option<bool>("--include-deleted") { Description = "Also list deleted tokens." };
        var paging = new CommonOptions.Paging();
        var command = new Command("list", "List a repository's tokens.") { repo, customer, includeDeleted };
        paging.AddTo(command);
        command.WithExamples("ep tokens list acme-agent", "ep tokens list acme-agent --customer 12 --output json");
        command.SetAction(async (parse, ct) =>
        {
            using var client = context.Connect();
            var query = paging.Query(parse).Add("customerId", parse.GetValue(customer)).Add("includeDeleted", parse.GetValue(includeDeleted) ? true : null);
            var result = await client.GetAsync<Page<TokenView>>(TokensCommand.TokensPath(parse.GetValue(repo)!) + query, ct);
            context.Print(parse, result, page => TokenOutput.WriteList(context.Output, page));
            return ExitCodes.Ok;
        });
        return command;
    }

    public static Command Show(CliContext context)
    {
        var (repo, id) = (CommonOptions.Repo(), CommonOptions.Id("The token's id."));
        var command = new Command("show", "Show a token, its restrictions and counters.") { repo, id };
        command.WithExamples("ep tokens show acme-agent 42", "ep tokens show acme-agent 42 --output json | jq -r .token");
        command.SetAction(async (parse, ct) =>
        {
            using var client = context.Connect();
            var result = await client.GetAsync<TokenView>(TokensCommand.TokenPath(parse.GetValue(repo)!, parse.GetValue(id)), ct);
            context.Print(parse, result, t => TokenOutput.WriteDetails(context.Output, t));
            return ExitCodes.Ok;
        });
        return command;
    }

    public static Command Usage(CliContext context)
    {
        var (repo, id) = (CommonOptions.Repo(), CommonOptions.Id("The token's id."));
        var from = OptionParsers.Time("--from", "Start of the period (JSON output: period).");
        var to = OptionParsers.Time("--to", "End of the period.");
        var command = new Command("usage", "A token's counters and its downloads per day.") { repo, id, from, to };
        command.WithExamples("ep tokens usage acme-agent 42", "ep tokens usage acme-agent 42 --from 2026-11-01 --to 2026-12-01 --output json");
        command.SetAction(async (parse, ct) =>
        {
            using var client = context.Connect();
            var query = new QueryString().Add("from", parse.GetValue(from)).Add("to", parse.GetValue(to));
            var result = await client.GetAsync<TokenUsage>($"{TokensCommand.TokenPath(parse.GetValue(repo)!, parse.GetValue(id))}/usage{query}", ct);
            context.Print(parse, result, u => TokenOutput.WriteUsage(context.Output, u));
            return ExitCodes.Ok;
        });
        return command;
    }
}
