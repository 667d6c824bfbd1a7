using System.CommandLine;
using EntitlementPortal.Cli.Client.Models;
using EntitlementPortal.Cli.Input;
using EntitlementPortal.Cli.Output;

namespace EntitlementPortal.Cli.Commands.Downloads;

/// <summary><c>ep downloads</c>: the download history, listed or exported as CSV.</summary>
public static class DownloadsCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("downloads", "Download history: list, export (CSV).") { List(context), Export(context) };
        return command.WithExamples("ep downloads list --repo acme-agent --status 403",
            "ep downloads export --repo acme-agent --from 2026-11-01 --to 2026-12-01 --file november.csv");
    }

    private static Command List(CliContext context)
    {
        var filters = new DownloadFilterOptions();
        var paging = new CommonOptions.Paging();
        var command = new Command("list", "List download attempts, served and refused, newest first.");
        filters.AddTo(command);
        paging.AddTo(command);
        command.WithExamples("ep downloads list --repo acme-agent", "ep downloads list --repo acme-agent --token 42 --status 403 --output json");
        command.SetAction(async (parse, ct) =>
        {
            using var client = context.Connect();
            var query = DownloadFilterOptions.Query(filters.Read(parse), paging.Query(parse));
            var result = await client.GetAsync<Page<DownloadEventView>>("downloads" + query, ct);
            context.Print(parse, result, page =>
            {
                var table = new TextTable("AT", "PACKAGE", "VERSION", "FILE", "TOKEN", "CLIENT", "STATUS", "BYTES", "REASON");
                foreach (var d in page.Items)
                {
                    table.Add(IsoTime.Format(d.At), d.Package, d.Version, d.Filename, d.TokenId?.ToString(), d.ClientIp,
                        d.Status.ToString(), ByteSize.Format(d.Bytes), d.Reason);
                }
                table.Write(context.Output);
                context.Output.WriteLine($"{page.Items.Count} of {page.Total}");
            });
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Export(CliContext context)
    {
        var filters = new DownloadFilterOptions();
        var file = new Option<string>("--file") { Description = "Where to write the CSV (- for stdout).", Required = true, HelpName = "PATH" };
        var command = new Command("export", "Export the filtered history as CSV (oldest first), streamed to a file.") { file };
        filters.AddTo(command);
        command.WithExamples("ep downloads export --repo acme-agent --file downloads.csv",
            "ep downloads export --repo acme-agent --customer 12 --from 2026-01-01 --file - | wc -l");
        command.SetAction(async (parse, ct) =>
        {
            var path = parse.GetValue(file)!;
            var query = DownloadFilterOptions.Query(filters.Read(parse));
            using var client = context.Connect();
            if (path == "-")
            {
                await client.DownloadTextAsync("downloads/export" + query, context.Output, ct);
                return ExitCodes.Ok;
            }
            // Written beside the target and moved into place at the end: a refused or broken-off export never leaves
            // a half file where a script expects a whole one.
            var partial = path + ".partial";
            try
            {
                long bytes;
                await using (var output = new FileStream(partial, FileMode.Create, FileAccess.Write))
                {
                    bytes = await client.DownloadAsync("downloads/export" + query, output, ct);
                }
                File.Move(partial, path, overwrite: true);
                if (!context.WantsJson(parse))
                {
                    context.Error.WriteLine($"Wrote {ByteSize.Format(bytes)} to {path}.");
                }
            }
            finally
            {
                File.Delete(partial);
            }
            return ExitCodes.Ok;
        });
        return command;
    }
}
