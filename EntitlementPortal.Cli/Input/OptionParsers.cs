using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Text.Json;

namespace EntitlementPortal.Cli.Input;

/// <summary>
/// Options whose values are checked while parsing, so a malformed value is a usage error (exit 2) with one clear
/// line, before anything is sent.
/// </summary>
public static class OptionParsers
{
    public static Option<long?> Size(string name, string description) => new(name)
    {
        Description = description,
        HelpName = "SIZE",
        CustomParser = result => Single(result, name, ByteSize.TryParse,
            "is not a size; write a number with B, KB, MB, GB or TB (decimal: 1 GB = 1,000,000,000 bytes), e.g. 10GB"),
    };

    public static Option<DateTime?> Time(string name, string description) => new(name)
    {
        Description = description,
        HelpName = "ISO-8601",
        CustomParser = result => Single(result, name, IsoTime.TryParse,
            "is not an ISO-8601 date or time, e.g. 2027-08-01 or 2027-08-01T00:00:00Z"),
    };

    public static Option<long?> Count(string name, string description) => new(name)
    {
        Description = description,
        HelpName = "N",
        CustomParser = result => Single(result, name,
            text => long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : (long?)null,
            "is not a positive whole number"),
    };

    public static Option<JsonElement?> Metadata(string name, string description) => new(name)
    {
        Description = description,
        HelpName = "@FILE.json",
        CustomParser = result =>
        {
            try
            {
                return MetadataValue.Parse(result.Tokens[0].Value, name);
            }
            catch (UsageException ex)
            {
                result.AddError(ex.Message);
                return null;
            }
        },
    };

    private static T? Single<T>(ArgumentResult result, string name, Func<string, T?> parse, string problem) where T : struct
    {
        var text = result.Tokens[0].Value;
        if (parse(text) is { } value)
        {
            return value;
        }
        result.AddError($"{name}: '{text}' {problem}.");
        return null;
    }
}
