using System.CommandLine;
using EntitlementPortal.Cli.Client;
using EntitlementPortal.Cli.Client.Models;
using EntitlementPortal.Cli.Input;
using EntitlementPortal.Cli.Output;

namespace EntitlementPortal.Cli.Commands.Audit;

/// <summary><c>ep audit list</c>: who changed what, newest first.</summary>
public static class AuditCommand
{
    public static Command Create(CliContext context)
    {
        var actor = CommonOptions.Text("--actor", "Only changes by this person (name or email).", "WHO");
        var entityType = CommonOptions.Text("--entity-type", "Only changes to this kind of thing, e.g. token.", "TYPE");
        var entityId = CommonOptions.Text("--entity-id", "Only changes to this one (with --entity-type).", "ID");
        var action = CommonOptions.Text("--action", "Only this action, e.g. token.disabled.", "ACTION");
        var from = OptionParsers.Time("--from", "From this time (ISO-8601).");
        var to = OptionParsers.Time("--to", "Up to this time (ISO-8601).");
        var paging = new CommonOptions.Paging();
        var list = new Command("list", "List audit entries, newest first.") { actor, entityType, entityId, action, from, to };
        paging.AddTo(list);
        list.WithExamples("ep audit list", "ep audit list --entity-type token --entity-id 42 --output json");
        list.SetAction(async (parse, ct) =>
        {
            using var client = context.Connect();
            var filter = new AuditFilter(parse.GetValue(actor), parse.GetValue(entityType), parse.GetValue(entityId),
                parse.GetValue(action), parse.GetValue(from), parse.GetValue(to));
            var query = paging.Query(parse).Add("actor", filter.Actor).Add("entityType", filter.EntityType).Add("entityId", filter.EntityId)
                .Add("action", filter.Action).Add("from", filter.From).Add("to", filter.To);
            var result = await client.GetAsync<Page<AuditEntryView>>("audit" + query, ct);
            context.Print(parse, result, page =>
            {
                var table = new TextTable("AT", "WHO", "ACTION", "ENTITY", "SUMMARY");
                foreach (var e in page.Items)
                {
                    table.Add(IsoTime.Format(e.At), e.ActorName, e.Action, $"{e.EntityType} {e.EntityId}", e.Summary);
                }
                table.Write(context.Output);
                context.Output.WriteLine($"{page.Items.Count} of {page.Total}");
            });
            return ExitCodes.Ok;
        });
        var command = new Command("audit", "The audit log.") { list };
        return command.WithExamples("ep audit list --from 2026-12-01");
    }
}
