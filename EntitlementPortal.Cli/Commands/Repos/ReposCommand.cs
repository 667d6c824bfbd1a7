using System.CommandLine;
using EntitlementPortal.Cli.Client;
using EntitlementPortal.Cli.Client.Models;
using EntitlementPortal.Cli.Input;
using EntitlementPortal.Cli.Output;

namespace EntitlementPortal.Cli.Commands.Repos;

/// <summary><c>ep repos</c>: the package repositories.</summary>
public static class ReposCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("repos", "Package repositories: list, show, create, update, delete.")
        {
            List(context), Show(context), CreateRepo(context), Update(context), Delete(context),
        };
        return command.WithExamples("ep repos list", "ep repos create acme-agent --name \"Acme Agent\"", "ep repos show acme-agent --output json");
    }

    private static Command List(CliContext context)
    {
        var paging = new CommonOptions.Paging();
        var command = new Command("list", "List the repositories you can see.");
        paging.AddTo(command);
        command.WithExamples("ep repos list", "ep repos list --page 2 --page-size 100 --output json");
        command.SetAction(async (parse, ct) =>
        {
            using var client = context.Connect();
            var result = await client.GetAsync<Page<RepositoryView>>("repos" + paging.Query(parse), ct);
            context.Print(parse, result, page =>
            {
                var table = new TextTable("SLUG", "NAME", "VISIBILITY", "PACKAGES", "ACTIVE TOKENS");
                foreach (var r in page.Items)
                {
                    table.Add(r.Slug, r.Name, r.Visibility, r.PackageCount.ToString(), r.ActiveTokenCount.ToString());
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
        var slug = CommonOptions.Repo("SLUG");
        var command = new Command("show", "Show one repository.") { slug };
        command.WithExamples("ep repos show acme-agent");
        command.SetAction(async (parse, ct) =>
        {
            using var client = context.Connect();
            var result = await client.GetAsync<RepositoryView>(RepoPath(parse.GetValue(slug)!), ct);
            context.Print(parse, result, r => Details(r).Write(context.Output));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command CreateRepo(CliContext context)
    {
        var slug = CommonOptions.Repo("SLUG");
        var name = new Option<string>("--name") { Description = "Display name.", Required = true, HelpName = "NAME" };
        var description = CommonOptions.Text("--description", "What the repository holds.");
        var isPublic = new Option<bool>("--public") { Description = "Anyone may download, without a token (default: private)." };
        var eula = EulaOption();
        var command = new Command("create", "Create a repository.") { slug, name, description, isPublic, eula };
        command.WithExamples("ep repos create acme-agent --name \"Acme Agent\" --description \"Agent builds\"",
            "ep repos create docs --name Docs --public");
        command.SetAction(async (parse, ct) =>
        {
            using var client = context.Connect();
            var body = new RepositoryCreateRequest(parse.GetValue(slug)!, parse.GetValue(name)!, parse.GetValue(description),
                parse.GetValue(isPublic) ? "public" : null, parse.GetValue(eula));
            var result = await client.PostAsync<RepositoryView>("repos", body, ct);
            context.Print(parse, result, r => Details(r).Write(context.Output));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Update(CliContext context)
    {
        var slug = CommonOptions.Repo("SLUG");
        var name = CommonOptions.Text("--name", "New display name.", "NAME");
        var description = CommonOptions.Text("--description", "New description (\"\" clears it).");
        var eula = EulaOption();
        var command = new Command("update", "Change a repository's name, description or EULA (only what is given).") { slug, name, description, eula };
        command.WithExamples("ep repos update acme-agent --name \"Acme Agent 2\"", "ep repos update acme-agent --description \"\"");
        command.SetAction(async (parse, ct) =>
        {
            var body = new RepositoryUpdateRequest(parse.GetValue(name), parse.GetValue(description), null, parse.GetValue(eula));
            if (body is { Name: null, Description: null, Eula: null })
            {
                throw new UsageException("Nothing to change: give --name, --description or --eula.");
            }
            using var client = context.Connect();
            var result = await client.PatchAsync<RepositoryView>(RepoPath(parse.GetValue(slug)!), body, [], ct);
            context.Print(parse, result, r => Details(r).Write(context.Output));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Delete(CliContext context)
    {
        var slug = CommonOptions.Repo("SLUG");
        var withPackages = new Option<bool>("--delete-packages") { Description = "Also delete the packages (and files) it holds." };
        var yes = CommonOptions.Yes();
        var command = new Command("delete", "Delete a repository.") { slug, withPackages, yes };
        command.WithExamples("ep repos delete old-repo --yes", "ep repos delete old-repo --delete-packages --yes");
        command.SetAction(async (parse, ct) =>
        {
            var repo = parse.GetValue(slug)!;
            context.Confirm(parse.GetValue(yes), $"Delete repository '{repo}'?");
            using var client = context.Connect();
            await client.DeleteAsync(RepoPath(repo) + new QueryString().Add("deletePackages", parse.GetValue(withPackages) ? true : null), ct);
            if (!context.WantsJson(parse))
            {
                context.Output.WriteLine($"Deleted repository {repo}.");
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>The licence text customers accept on their download page: inline, or @file to read it from a file.</summary>
    private static Option<string?> EulaOption() => new("--eula")
    {
        Description = "Licence agreement shown to customers (text, or @file.txt); tokens with --eula-required wait for it.",
        HelpName = "TEXT|@FILE",
        CustomParser = result =>
        {
            var value = result.Tokens[0].Value;
            if (!value.StartsWith('@'))
            {
                return value;
            }
            try
            {
                return File.ReadAllText(value[1..]);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
            {
                result.AddError($"--eula: cannot read '{value[1..]}': {ex.Message}");
                return null;
            }
        },
    };

    private static string RepoPath(string slug) => "repos/" + Uri.EscapeDataString(slug);

    private static DetailsTable Details(RepositoryView r) => new DetailsTable()
        .Add("slug", r.Slug).Add("name", r.Name).Add("description", r.Description).Add("visibility", r.Visibility)
        .Add("packages", r.PackageCount.ToString()).Add("active tokens", r.ActiveTokenCount.ToString())
        .Add("created", IsoTime.Format(r.CreatedAt)).Add("updated", IsoTime.Format(r.UpdatedAt));
}
