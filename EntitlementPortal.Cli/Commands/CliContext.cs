using System.CommandLine;
using System.Net.Http.Headers;
using System.Text.Json;
using EntitlementPortal.Cli.Client;
using EntitlementPortal.Cli.Configuration;
using EntitlementPortal.Cli.Terminal;

namespace EntitlementPortal.Cli.Commands;

/// <summary>What every command runs with: the two output streams, the environment, and how to reach the portal.</summary>
public sealed class CliContext(TextWriter output, TextWriter error, IConsoleEnvironment environment, HttpMessageHandler? handler)
{
    public Option<string> OutputOption { get; } = CreateOutputOption();

    public TextWriter Output { get; } = output;
    public TextWriter Error { get; } = error;
    public IConsoleEnvironment Environment { get; } = environment;
    public ConfigFile Config { get; } = new(environment);

    public PortalClient Connect() => CreateClient(new ConnectionResolver(Environment, Config).Resolve());

    public PortalClient CreateClient(PortalConnection connection)
    {
        var http = handler is null
            ? new HttpClient(new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(15) })
            : new HttpClient(handler, disposeHandler: false);
        http.BaseAddress = new Uri(connection.Url + "/");
        // Uploads and exports may take long; PortalClient bounds the plain calls itself.
        http.Timeout = Timeout.InfiniteTimeSpan;
        http.DefaultRequestHeaders.Add("X-Api-Key", connection.ApiKey);
        http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("ep", typeof(CliContext).Assembly.GetName().Version?.ToString(3)));
        return new PortalClient(http, RequestTimeout());
    }

    public const string TimeoutVariable = "EP_TIMEOUT";

    /// <summary>Seconds a plain call may take before the portal counts as unreachable (EP_TIMEOUT, default 100).</summary>
    private TimeSpan RequestTimeout()
    {
        var text = Environment.GetVariable(TimeoutVariable);
        if (string.IsNullOrWhiteSpace(text))
        {
            return PortalClient.DefaultRequestTimeout;
        }
        return int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var seconds) && seconds > 0
            ? TimeSpan.FromSeconds(seconds)
            : throw new UsageException($"{TimeoutVariable}: '{text}' is not a number of seconds.");
    }

    public bool WantsJson(ParseResult parse) => parse.GetValue(OutputOption) == "json";

    private static Option<string> CreateOutputOption()
    {
        var option = new Option<string>("--output", "-o")
        {
            Description = "table (default) for people, json for scripts (the API's own fields and names).",
            HelpName = "table|json",
            Recursive = true,
        };
        option.AcceptOnlyFromAmong("table", "json");
        return option;
    }

    /// <summary>JSON output prints the API's answer as it came; the table form is the command's own.</summary>
    public void Print<T>(ParseResult parse, ApiResult<T> result, Action<T> table)
    {
        if (WantsJson(parse))
        {
            PrintJson(result.Json);
        }
        else
        {
            table(result.Value);
        }
    }

    public void PrintJson(JsonElement json) => Output.WriteLine(JsonSerializer.Serialize(json, ApiJson.Indented));

    /// <summary>
    /// Destructive commands go ahead with --yes; at a terminal they ask; in a script without --yes they refuse, so a
    /// forgotten flag never waits forever for an answer nobody gives.
    /// </summary>
    public void Confirm(bool yes, string question)
    {
        if (yes)
        {
            return;
        }
        if (!Environment.IsInteractive)
        {
            throw new UsageException($"{question} Refused without a terminal to confirm on; add --yes.");
        }
        Error.Write($"{question} [y/N] ");
        Error.Flush();
        var answer = Environment.ReadLine()?.Trim();
        if (!string.Equals(answer, "y", StringComparison.OrdinalIgnoreCase) && !string.Equals(answer, "yes", StringComparison.OrdinalIgnoreCase))
        {
            throw new ConfirmationDeclinedException();
        }
    }
}

/// <summary>The person at the terminal answered no: nothing was done, and that is not an error.</summary>
public sealed class ConfirmationDeclinedException() : Exception("Cancelled; nothing was changed.");
