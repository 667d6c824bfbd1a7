using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using EntitlementPortal.Cli.Client;

namespace EntitlementPortal.Cli.Commands;

/// <summary>Arguments and options that several command groups share, so they read and check the same way.</summary>
public static class CommonOptions
{
    public static Argument<string> Repo(string name = "REPO") => new(name) { Description = "The repository's slug." };

    public static Argument<int> Id(string description) => new("ID")
    {
        Description = description,
        CustomParser = result => PositiveInt(result, "ID"),
    };

    public static Option<bool> Yes() => new("--yes", "-y") { Description = "Do it without asking (for scripts)." };

    public static Option<int?> IdOption(string name, string description) => new(name)
    {
        Description = description,
        HelpName = "ID",
        CustomParser = result => PositiveInt(result, name),
    };

    public static Option<string?> Text(string name, string description, string helpName = "TEXT") =>
        new(name) { Description = description, HelpName = helpName };

    /// <summary>page, pageSize and search of every list route.</summary>
    public sealed class Paging
    {
        public Option<int?> Page { get; } = IdOption("--page", "Page number, from 1.");
        public Option<int?> PageSize { get; } = IdOption("--page-size", "Items per page (at most 500; default 50).");

        public void AddTo(Command command)
        {
            command.Add(Page);
            command.Add(PageSize);
        }

        public QueryString Query(ParseResult parse) =>
            new QueryString().Add("page", parse.GetValue(Page)).Add("pageSize", parse.GetValue(PageSize));
    }

    private static int PositiveInt(ArgumentResult result, string name)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id > 0)
        {
            return id;
        }
        result.AddError($"{name}: '{text}' is not a positive whole number.");
        return 0;
    }
}
