using System.CommandLine;
using System.Text.Json;
using EntitlementPortal.Cli.Client.Models;
using EntitlementPortal.Cli.Input;
using EntitlementPortal.Cli.Output;

namespace EntitlementPortal.Cli.Commands.Customers;

/// <summary><c>ep customers</c>: who holds tokens, and revoking or reinstating all of a customer's tokens at once.</summary>
public static class CustomersCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("customers", "Customers: list, show, create, update, delete, revoke, reinstate.")
        {
            List(context), Show(context), CreateCustomer(context), Update(context),
            Action(context, "delete", "Delete a customer.", confirm: "Delete customer {0}?"),
            Action(context, "revoke", "Revoke a customer: every token of theirs is refused from now on.", confirm: "Revoke customer {0} (all their tokens stop working)?"),
            Action(context, "reinstate", "Reinstate a revoked customer (re-enables the tokens the revocation disabled).", confirm: null),
        };
        return command.WithExamples("ep customers create --name \"Acme Corp\" --email ops@acme.example", "ep customers revoke 12 --yes");
    }

    private static Command List(CliContext context)
    {
        var status = new Option<string?>("--status") { Description = "Only active or revoked customers.", HelpName = "STATUS" };
        status.AcceptOnlyFromAmong("active", "revoked");
        var paging = new CommonOptions.Paging();
        var command = new Command("list", "List customers.") { status };
        paging.AddTo(command);
        command.WithExamples("ep customers list", "ep customers list --status revoked --output json");
        command.SetAction(async (parse, ct) =>
        {
            using var client = context.Connect();
            var result = await client.GetAsync<Page<CustomerView>>("customers" + paging.Query(parse).Add("status", parse.GetValue(status)), ct);
            context.Print(parse, result, page =>
            {
                var table = new TextTable("ID", "NAME", "EMAIL", "COMPANY", "STATUS", "CREATED");
                foreach (var c in page.Items)
                {
                    table.Add(c.Id.ToString(), c.Name, c.Email, c.Company, c.Status, IsoTime.Format(c.CreatedAt));
                }
                table.Write(context.Output);
                context.Output.WriteLine($"{page.Items.Count} of {page.Total}");
            });
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Show(CliContext context)
    {
        var id = CommonOptions.Id("The customer's id.");
        var command = new Command("show", "Show a customer.") { id };
        command.WithExamples("ep customers show 12");
        command.SetAction(async (parse, ct) =>
        {
            using var client = context.Connect();
            var result = await client.GetAsync<CustomerView>($"customers/{parse.GetValue(id)}", ct);
            context.Print(parse, result, c => Details(c).Write(context.Output));
            return ExitCodes.Ok;
        });
        return command;
    }

    private sealed class CustomerFields
    {
        public Option<string?> Email { get; } = CommonOptions.Text("--email", "Contact address.", "EMAIL");
        public Option<string?> Company { get; } = CommonOptions.Text("--company", "Company name.", "COMPANY");
        public Option<string?> ExternalRef { get; } = CommonOptions.Text("--external-ref", "Your id for them (CRM, billing).", "REF");
        public Option<string?> Plan { get; } = CommonOptions.Text("--plan", "Their plan.", "PLAN");
        public Option<string?> Notes { get; } = CommonOptions.Text("--notes", "Free text.");
        public Option<JsonElement?> Metadata { get; } = OptionParsers.Metadata("--metadata", "A JSON object to keep with the customer: @file.json.");
        public Option<DateTime?> SubscriptionEnds { get; } = OptionParsers.Time("--subscription-ends", "When their subscription ends (ISO-8601); the portal warns before.");

        public void AddTo(Command command)
        {
            foreach (var option in new Option[] { Email, Company, ExternalRef, Plan, Notes, Metadata, SubscriptionEnds })
            {
                command.Add(option);
            }
        }
    }

    private static Command CreateCustomer(CliContext context)
    {
        var name = new Option<string>("--name") { Description = "The customer's name.", Required = true, HelpName = "NAME" };
        var fields = new CustomerFields();
        var command = new Command("create", "Create a customer.") { name };
        fields.AddTo(command);
        command.WithExamples("ep customers create --name \"Acme Corp\" --email ops@acme.example --company \"Acme Corp Ltd\"",
            "ep customers create --name Acme --metadata @crm.json --output json | jq .id");
        command.SetAction(async (parse, ct) =>
        {
            var body = new CustomerCreateRequest(parse.GetValue(name)!, parse.GetValue(fields.Email), parse.GetValue(fields.Company),
                parse.GetValue(fields.ExternalRef), parse.GetValue(fields.Plan), parse.GetValue(fields.Notes), parse.GetValue(fields.Metadata),
                parse.GetValue(fields.SubscriptionEnds));
            using var client = context.Connect();
            var result = await client.PostAsync<CustomerView>("customers", body, ct);
            context.Print(parse, result, c => Details(c).Write(context.Output));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Update(CliContext context)
    {
        var id = CommonOptions.Id("The customer's id.");
        var name = CommonOptions.Text("--name", "New name.", "NAME");
        var fields = new CustomerFields();
        var command = new Command("update", "Change a customer: only the options given change.") { id, name };
        fields.AddTo(command);
        command.WithExamples("ep customers update 12 --email billing@acme.example --plan enterprise");
        command.SetAction(async (parse, ct) =>
        {
            var body = new CustomerUpdateRequest(parse.GetValue(name), parse.GetValue(fields.Email), parse.GetValue(fields.Company),
                parse.GetValue(fields.ExternalRef), parse.GetValue(fields.Plan), parse.GetValue(fields.Notes), parse.GetValue(fields.Metadata),
                parse.GetValue(fields.SubscriptionEnds));
            if (body == new CustomerUpdateRequest(null, null, null, null, null, null, null))
            {
                throw new UsageException("Nothing to change: give at least one option (see 'ep customers update --help').");
            }
            using var client = context.Connect();
            var result = await client.PatchAsync<CustomerView>($"customers/{parse.GetValue(id)}", body, [], ct);
            context.Print(parse, result, c => Details(c).Write(context.Output));
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>delete (204), revoke and reinstate (answered with the customer).</summary>
    private static Command Action(CliContext context, string verb, string description, string? confirm)
    {
        var id = CommonOptions.Id("The customer's id.");
        var yes = CommonOptions.Yes();
        var command = new Command(verb, description) { id };
        if (confirm is not null)
        {
            command.Add(yes);
        }
        command.WithExamples($"ep customers {verb} 12" + (confirm is null ? "" : " --yes"));
        command.SetAction(async (parse, ct) =>
        {
            var customerId = parse.GetValue(id);
            if (confirm is not null)
            {
                context.Confirm(parse.GetValue(yes), string.Format(System.Globalization.CultureInfo.InvariantCulture, confirm, customerId));
            }
            using var client = context.Connect();
            if (verb == "delete")
            {
                await client.DeleteAsync($"customers/{customerId}", ct);
                if (!context.WantsJson(parse))
                {
                    context.Output.WriteLine($"Deleted customer {customerId}.");
                }
                return ExitCodes.Ok;
            }
            var result = await client.PostAsync<CustomerView>($"customers/{customerId}/{verb}", null, ct);
            context.Print(parse, result, c => Details(c).Write(context.Output));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static DetailsTable Details(CustomerView c) => new DetailsTable()
        .Add("id", c.Id.ToString()).Add("name", c.Name).Add("email", c.Email).Add("company", c.Company)
        .Add("external ref", c.ExternalRef).Add("plan", c.Plan)
        .Add("subscription ends", c.SubscriptionEndsAt is null ? null : IsoTime.Format(c.SubscriptionEndsAt))
        .Add("status", c.Status).Add("revoked", c.RevokedAt is null ? null : IsoTime.Format(c.RevokedAt))
        .Add("metadata", c.Metadata is { ValueKind: JsonValueKind.Object } m ? m.GetRawText() : null)
        .Add("created", IsoTime.Format(c.CreatedAt));
}
