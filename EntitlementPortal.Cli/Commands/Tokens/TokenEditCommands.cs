using System.CommandLine;
using EntitlementPortal.Cli.Client;
using EntitlementPortal.Cli.Client.Models;
using EntitlementPortal.Cli.Input;

namespace EntitlementPortal.Cli.Commands.Tokens;

/// <summary><c>ep tokens create|update</c>: a token and its restrictions.</summary>
public static class TokenEditCommands
{
    public static Command Create(CliContext context)
    {
        var repo = CommonOptions.Repo();
        var name = new Option<string>("--name") { Description = "Who the token is for, e.g. the customer's name.", Required = true, HelpName = "NAME" };
        var customer = CommonOptions.IdOption("--customer", "The customer who holds the token.");
        var secret = CommonOptions.Text("--token", "A custom secret instead of a generated one.", "SECRET");
        var disabled = new Option<bool>("--disabled") { Description = "Create it disabled." };
        var restrictions = new TokenRestrictionOptions();
        var command = new Command("create", "Create a token (the answer carries its secret).") { repo, name, customer, secret, disabled };
        restrictions.AddTo(command);
        command.WithExamples(
            "ep tokens create acme-agent --name \"Acme Corp\" --customer 12",
            "ep tokens create acme-agent --name Acme --limit-downloads 10 --limit-clients 2 --limit-bandwidth 10GB \\",
            "    --valid-from 2026-08-01 --valid-to 2027-08-01T00:00:00Z --package-query \"name:acme-agent AND version:>=2.0\" \\",
            "    --allow-cidr 203.0.113.0/24 --allow-cidr 198.51.100.7/32 --reset-period monthly --metadata @licence.json",
            "ep tokens create acme-agent --name Acme --output json | jq -r .token");
        command.SetAction(async (parse, ct) =>
        {
            var r = restrictions.Read(parse);
            var body = new TokenCreateRequest(parse.GetValue(name)!, parse.GetValue(secret), parse.GetValue(customer),
                parse.GetValue(disabled) ? false : null, r.LimitDateFrom, r.LimitDateTo, r.LimitDownloads, r.LimitClients,
                r.LimitBandwidthBytes, r.LimitPackageQuery, r.AllowedCidrs, r.ResetPeriod, r.Metadata, r.EulaRequired, r.AfterExpiry);
            using var client = context.Connect();
            var result = await client.PostAsync<TokenView>(TokensCommand.TokensPath(parse.GetValue(repo)!), body, ct);
            context.Print(parse, result, t => TokenOutput.WriteDetails(context.Output, t));
            return ExitCodes.Ok;
        });
        return command;
    }

    public static Command Update(CliContext context)
    {
        var (repo, id) = (CommonOptions.Repo(), CommonOptions.Id("The token's id."));
        var name = CommonOptions.Text("--name", "New name.", "NAME");
        var customer = CommonOptions.IdOption("--customer", "Give the token to this customer.");
        var clear = new Option<string[]>("--clear")
        {
            Description = "Remove a restriction (repeatable): " + string.Join(", ", TokenRestrictionOptions.Clearable.Keys) + ".",
            HelpName = "RESTRICTION",
        };
        clear.AcceptOnlyFromAmong([.. TokenRestrictionOptions.Clearable.Keys]);
        var restrictions = new TokenRestrictionOptions();
        var command = new Command("update", "Change a token: only the options given change.") { repo, id, name, customer, clear };
        restrictions.AddTo(command);
        command.WithExamples(
            "ep tokens update acme-agent 42 --limit-downloads 20 --valid-to 2028-01-01",
            "ep tokens update acme-agent 42 --clear limit-bandwidth --clear valid-to");
        command.SetAction(async (parse, ct) =>
        {
            var r = restrictions.Read(parse);
            var cleared = (parse.GetValue(clear) ?? []).Select(c => TokenRestrictionOptions.Clearable[c]).ToHashSet();
            // The address list is a list, not a limit: "no restriction" is an empty one.
            var cidrs = cleared.Remove("allowedCidrs") ? [] : r.AllowedCidrs;
            var body = new TokenUpdateRequest(parse.GetValue(name), parse.GetValue(customer), r.LimitDateFrom, r.LimitDateTo,
                r.LimitDownloads, r.LimitClients, r.LimitBandwidthBytes, r.LimitPackageQuery, cidrs, r.ResetPeriod, r.Metadata,
                r.EulaRequired, r.AfterExpiry);
            if (body == new TokenUpdateRequest(null, null, null, null, null, null, null, null, null, null, null) && cleared.Count == 0)
            {
                throw new UsageException("Nothing to change: give at least one option (see 'ep tokens update --help').");
            }
            using var client = context.Connect();
            var result = await client.PatchAsync<TokenView>(TokensCommand.TokenPath(parse.GetValue(repo)!, parse.GetValue(id)), body, cleared, ct);
            context.Print(parse, result, t => TokenOutput.WriteDetails(context.Output, t));
            return ExitCodes.Ok;
        });
        return command;
    }
}
