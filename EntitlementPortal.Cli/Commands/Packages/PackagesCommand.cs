using System.CommandLine;
using System.Net.Http.Headers;
using EntitlementPortal.Cli.Client;
using EntitlementPortal.Cli.Client.Models;
using EntitlementPortal.Cli.Input;
using EntitlementPortal.Cli.Output;

namespace EntitlementPortal.Cli.Commands.Packages;

/// <summary><c>ep packages</c>: list, push (with a progress bar, format from the file name) and delete package versions.</summary>
public static class PackagesCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("packages", "Packages: list, show, push, delete.")
        {
            List(context), Show(context), Push(context), Delete(context),
        };
        return command.WithExamples("ep packages push dist/acme-agent-2.1.0.zip --repo acme-agent --name acme-agent --version 2.1.0",
            "ep packages list acme-agent");
    }

    private static Command List(CliContext context)
    {
        var repo = CommonOptions.Repo();
        var query = new Option<string?>("--query") { Description = "Package query, e.g. \"name:acme* AND version:>=2.0\".", HelpName = "QUERY" };
        var paging = new CommonOptions.Paging();
        var command = new Command("list", "List a repository's package versions.") { repo, query };
        paging.AddTo(command);
        command.WithExamples("ep packages list acme-agent", "ep packages list acme-agent --query \"version:>=2.0\" --output json");
        command.SetAction(async (parse, ct) =>
        {
            using var client = context.Connect();
            var result = await client.GetAsync<Page<PackageView>>(PackagesPath(parse.GetValue(repo)!) + paging.Query(parse).Add("query", parse.GetValue(query)), ct);
            context.Print(parse, result, page =>
            {
                var table = new TextTable("ID", "NAME", "VERSION", "FORMAT", "FILES", "SIZE", "UPLOADED");
                foreach (var p in page.Items)
                {
                    table.Add(p.Id.ToString(), p.Name, p.Version, p.Format, p.Files.Count.ToString(),
                        ByteSize.Format(p.Files.Sum(f => f.Size)), IsoTime.Format(p.UploadedAt));
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
        var (repo, id) = (CommonOptions.Repo(), CommonOptions.Id("The package version's id."));
        var command = new Command("show", "Show a package version and its files.") { repo, id };
        command.WithExamples("ep packages show acme-agent 7");
        command.SetAction(async (parse, ct) =>
        {
            using var client = context.Connect();
            var result = await client.GetAsync<PackageView>($"{PackagesPath(parse.GetValue(repo)!)}/{parse.GetValue(id)}", ct);
            context.Print(parse, result, p => WritePackage(context.Output, p));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Push(CliContext context)
    {
        var file = new Argument<FileInfo>("FILE") { Description = "The file to upload." };
        var repo = new Option<string>("--repo") { Description = "The repository's slug.", Required = true, HelpName = "REPO" };
        var name = CommonOptions.Text("--name", "Package name (raw files; native packages carry their own).", "NAME");
        var version = CommonOptions.Text("--version", "Version (raw files; native packages carry their own).", "VERSION");
        var tags = CommonOptions.Text("--tags", "Comma-separated tags, e.g. stable,linux.", "TAGS");
        var command = new Command("push", "Upload a package file with a progress bar: a .nupkg (NuGet), .whl (Python) or .tgz (npm) as that format, named by its own metadata; anything else as a raw file under --name and --version.")
        {
            file, repo, name, version, tags,
        };
        command.WithExamples(
            "ep packages push dist/acme-agent-2.1.0-linux-x64.tar.gz --repo acme-agent --name acme-agent --version 2.1.0 --tags stable",
            "ep packages push bin/Release/Acme.Agent.2.1.0.nupkg --repo acme-agent",
            "ep packages push dist/acme_agent-2.1.0-py3-none-any.whl --repo acme-agent",
            "ep packages push dist/acme-agent-2.1.0.zip --repo acme-agent --name acme-agent --version 2.1.0 --output json");
        command.SetAction(async (parse, ct) =>
        {
            var path = parse.GetValue(file)!;
            if (!path.Exists)
            {
                throw new UsageException($"FILE: '{path}' does not exist.");
            }
            var format = PackageFormatDetection.Detect(path.Name);
            var upload = new PackageUpload(parse.GetValue(repo)!, path, parse.GetValue(name), parse.GetValue(version), parse.GetValue(tags));
            using var client = context.Connect();
            var progress = new ProgressBar(context.Error, path.Length, context.Environment.IsInteractive);
            var result = await new PackagePush(client).PushAsync(upload, format, progress.Report, ct);
            context.Print(parse, result, p => WritePackage(context.Output, p));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Delete(CliContext context)
    {
        var (repo, id) = (CommonOptions.Repo(), CommonOptions.Id("The package version's id."));
        var yes = CommonOptions.Yes();
        var command = new Command("delete", "Delete a package version and its files.") { repo, id, yes };
        command.WithExamples("ep packages delete acme-agent 7 --yes");
        command.SetAction(async (parse, ct) =>
        {
            var packageId = parse.GetValue(id);
            context.Confirm(parse.GetValue(yes), $"Delete package version {packageId} and its files?");
            using var client = context.Connect();
            await client.DeleteAsync($"{PackagesPath(parse.GetValue(repo)!)}/{packageId}", ct);
            if (!context.WantsJson(parse))
            {
                context.Output.WriteLine($"Deleted package version {packageId}.");
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    public static string PackagesPath(string repo) => $"repos/{Uri.EscapeDataString(repo)}/packages";

    private static void WritePackage(TextWriter output, PackageView p)
    {
        new DetailsTable()
            .Add("id", p.Id.ToString()).Add("name", p.Name).Add("version", p.Version).Add("format", p.Format)
            .Add("tags", string.Join(", ", p.Tags)).Add("uploaded", $"{IsoTime.Format(p.UploadedAt)} by {p.UploadedBy}")
            .Write(output);
        output.WriteLine();
        var files = new TextTable("FILE", "SIZE", "SHA256");
        foreach (var f in p.Files)
        {
            files.Add(f.Filename, ByteSize.Format(f.Size), f.Sha256);
        }
        files.Write(output);
    }
}
