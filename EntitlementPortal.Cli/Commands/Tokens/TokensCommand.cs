using System.CommandLine;
using EntitlementPortal.Cli.Client;
using EntitlementPortal.Cli.Client.Models;
using EntitlementPortal.Cli.Input;

namespace EntitlementPortal.Cli.Commands.Tokens;

/// <summary><c>ep tokens</c>: a repository's entitlement tokens, their restrictions, lifecycle and usage.</summary>
public static class TokensCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("tokens", "Entitlement tokens: list, show, create, update, enable, disable, refresh, reset, delete, sync, usage.")
        {
            List(context), Show(context), CreateToken(context), Update(context),
            Lifecycle(context, "enable", "Enable a disabled token.", "enable", confirm: null),
            Lifecycle(context, "disable", "Disable a token: its downloads are refused until it is enabled again.", "disable", confirm: null),
            Refresh(context),
            Lifecycle(context, "reset", "Reset a token's usage counters (the history stays).", "reset", confirm: "Reset the usage counters of token {0}?"),
            Delete(context), Sync(context), Usage(context),
        };
        return command.WithExamples(
            "ep tokens list acme-agent",
            "ep tokens create acme-agent --name \"Acme Corp\" --customer 12 --limit-downloads 10 --limit-bandwidth 10GB --valid-to 2027-08-01",
            "ep tokens disable acme-agent 42",
            "ep tokens usage acme-agent 42 --output json");
    }

    private static Command List(CliContext context)
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
            var result = await client.GetAsync<Page<TokenView>>(TokensPath(parse.GetValue(repo)!) + query, ct);
            context.Print(parse, result, page => TokenOutput.WriteList(context.Output, page));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Show(CliContext context)
    {
        var (repo, id) = (CommonOptions.Repo(), CommonOptions.Id("The token's id."));
        var command = new Command("show", "Show a token, its restrictions and counters.") { repo, id };
        command.WithExamples("ep tokens show acme-agent 42", "ep tokens show acme-agent 42 --output json | jq -r .token");
        command.SetAction(async (parse, ct) =>
        {
            using var client = context.Connect();
            var result = await client.GetAsync<TokenView>(TokenPath(parse.GetValue(repo)!, parse.GetValue(id)), ct);
            context.Print(parse, result, t => TokenOutput.WriteDetails(context.Output, t));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command CreateToken(CliContext context)
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
                r.LimitBandwidthBytes, r.LimitPackageQuery, r.AllowedCidrs, r.ResetPeriod, r.Metadata);
            using var client = context.Connect();
            var result = await client.PostAsync<TokenView>(TokensPath(parse.GetValue(repo)!), body, ct);
            context.Print(parse, result, t => TokenOutput.WriteDetails(context.Output, t));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Update(CliContext context)
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
                r.LimitDownloads, r.LimitClients, r.LimitBandwidthBytes, r.LimitPackageQuery, cidrs, r.ResetPeriod, r.Metadata);
            if (body == new TokenUpdateRequest(null, null, null, null, null, null, null, null, null, null, null) && cleared.Count == 0)
            {
                throw new UsageException("Nothing to change: give at least one option (see 'ep tokens update --help').");
            }
            using var client = context.Connect();
            var result = await client.PatchAsync<TokenView>(TokenPath(parse.GetValue(repo)!, parse.GetValue(id)), body, cleared, ct);
            context.Print(parse, result, t => TokenOutput.WriteDetails(context.Output, t));
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>enable, disable and reset: a POST to the token's action route, answered with the token.</summary>
    private static Command Lifecycle(CliContext context, string verb, string description, string route, string? confirm)
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
            var result = await client.PostAsync<TokenView>($"{TokenPath(parse.GetValue(repo)!, tokenId)}/{route}", null, ct);
            context.Print(parse, result, t => TokenOutput.WriteDetails(context.Output, t));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Refresh(CliContext context)
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
            var result = await client.PostAsync<TokenView>($"{TokenPath(parse.GetValue(repo)!, tokenId)}/refresh", body, ct);
            context.Print(parse, result, t => TokenOutput.WriteDetails(context.Output, t));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Delete(CliContext context)
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
            await client.DeleteAsync(TokenPath(parse.GetValue(repo)!, tokenId), ct);
            if (!context.WantsJson(parse))
            {
                context.Output.WriteLine($"Deleted token {tokenId}.");
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Sync(CliContext context)
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
            var result = await client.PostAsync<TokenSyncResult>($"{TokensPath(targetRepo)}/sync", new TokenSyncRequest(sourceRepo), ct);
            context.Print(parse, result, r =>
                context.Output.WriteLine($"Synced {targetRepo} from {sourceRepo}: {r.Created} created, {r.Updated} updated, {r.Deleted} deleted."));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Usage(CliContext context)
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
            var result = await client.GetAsync<TokenUsage>($"{TokenPath(parse.GetValue(repo)!, parse.GetValue(id))}/usage{query}", ct);
            context.Print(parse, result, u => TokenOutput.WriteUsage(context.Output, u));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static string TokensPath(string repo) => $"repos/{Uri.EscapeDataString(repo)}/entitlements";

    private static string TokenPath(string repo, int id) => $"{TokensPath(repo)}/{id}";
}
