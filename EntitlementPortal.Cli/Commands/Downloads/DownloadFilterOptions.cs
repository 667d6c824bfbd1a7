using System.CommandLine;
using EntitlementPortal.Cli.Client;
using EntitlementPortal.Cli.Client.Models;
using EntitlementPortal.Cli.Input;

namespace EntitlementPortal.Cli.Commands.Downloads;

/// <summary>The history filters (all optional, combined with AND), the same for list and export.</summary>
public sealed class DownloadFilterOptions
{
    public Option<string> Repo { get; } = new("--repo") { Description = "The repository's slug.", Required = true, HelpName = "REPO" };
    public Option<int?> Customer { get; } = CommonOptions.IdOption("--customer", "Only this customer's downloads.");
    public Option<int?> Token { get; } = CommonOptions.IdOption("--token", "Only this token's downloads.");
    public Option<string?> User { get; } = CommonOptions.Text("--user", "Only this user's downloads (user tokens).", "USER-ID");
    public Option<string?> Package { get; } = CommonOptions.Text("--package", "Only this package.", "NAME");
    public Option<string?> Version { get; } = CommonOptions.Text("--package-version", "Only this version.", "VERSION");
    public Option<int?> Status { get; } = CommonOptions.IdOption("--status", "Only this HTTP status, e.g. 200 or 403.");
    public Option<string?> Reason { get; } = CommonOptions.Text("--reason", "Only refusals for this reason, e.g. expired.", "REASON");
    public Option<string?> ClientIp { get; } = CommonOptions.Text("--client-ip", "Only from this address.", "IP");
    public Option<DateTime?> From { get; } = OptionParsers.Time("--from", "From this time (ISO-8601).");
    public Option<DateTime?> To { get; } = OptionParsers.Time("--to", "Up to this time (ISO-8601).");

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { Repo, Customer, Token, User, Package, Version, Status, Reason, ClientIp, From, To })
        {
            command.Add(option);
        }
    }

    public DownloadFilter Read(ParseResult parse) => new(
        parse.GetValue(Repo), parse.GetValue(Customer), parse.GetValue(Token), parse.GetValue(User), parse.GetValue(Package),
        parse.GetValue(Version), parse.GetValue(Status), parse.GetValue(Reason), parse.GetValue(ClientIp),
        parse.GetValue(From), parse.GetValue(To));

    public static QueryString Query(DownloadFilter f, QueryString? start = null) => (start ?? new QueryString())
        .Add("repo", f.Repo).Add("customerId", f.CustomerId).Add("tokenId", f.TokenId).Add("userId", f.UserId)
        .Add("package", f.Package).Add("version", f.Version).Add("status", f.Status).Add("reason", f.Reason)
        .Add("clientIp", f.ClientIp).Add("from", f.From).Add("to", f.To);
}
