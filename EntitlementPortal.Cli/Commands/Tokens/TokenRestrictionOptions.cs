using System.CommandLine;
using System.Text.Json;
using EntitlementPortal.Cli.Input;

namespace EntitlementPortal.Cli.Commands.Tokens;

/// <summary>Every restriction a token can carry, as options; create and update share them.</summary>
public sealed class TokenRestrictionOptions
{
    public static readonly string[] ResetPeriods =
        ["never", "daily", "weekly", "fortnightly", "monthly", "bimonthly", "quarterly", "semiannual", "annual"];

    /// <summary>What --clear accepts, and the API field each name clears.</summary>
    public static readonly IReadOnlyDictionary<string, string> Clearable = new Dictionary<string, string>
    {
        ["limit-downloads"] = "limitDownloads",
        ["limit-clients"] = "limitClients",
        ["limit-bandwidth"] = "limitBandwidthBytes",
        ["valid-from"] = "limitDateFrom",
        ["valid-to"] = "limitDateTo",
        ["package-query"] = "limitPackageQuery",
        ["allow-cidr"] = "allowedCidrs",
        ["metadata"] = "metadata",
    };

    public Option<long?> LimitDownloads { get; } = OptionParsers.Count("--limit-downloads", "Counted downloads allowed (per reset period).");
    public Option<long?> LimitClients { get; } = OptionParsers.Count("--limit-clients", "Distinct client addresses allowed.");
    public Option<long?> LimitBandwidth { get; } = OptionParsers.Size("--limit-bandwidth", "Bytes allowed, in decimal units: 500MB, 10GB, 1.5TB.");
    public Option<DateTime?> ValidFrom { get; } = OptionParsers.Time("--valid-from", "Refused before this time (ISO-8601; UTC unless an offset is given).");
    public Option<DateTime?> ValidTo { get; } = OptionParsers.Time("--valid-to", "Refused after this time (ISO-8601; UTC unless an offset is given).");
    public Option<string?> PackageQuery { get; } = new("--package-query")
    {
        Description = "Only packages matching this query, e.g. \"name:acme-agent AND version:>=2.0\".",
        HelpName = "QUERY",
    };
    public Option<string[]> AllowCidr { get; } = new("--allow-cidr")
    {
        Description = "Only from this address range (repeat for several), e.g. 203.0.113.0/24.",
        HelpName = "CIDR",
    };
    public Option<string?> ResetPeriod { get; } = new("--reset-period")
    {
        Description = "How often the counters start again: " + string.Join(", ", ResetPeriods) + ".",
        HelpName = "PERIOD",
    };
    public Option<JsonElement?> Metadata { get; } = OptionParsers.Metadata("--metadata", "A JSON object to keep with the token: @file.json.");
    public Option<bool?> EulaRequired { get; } = new("--eula-required")
    {
        Description = "Downloads wait until the repository's EULA is accepted for this token (true or false).",
        HelpName = "true|false",
    };
    public Option<string?> AfterExpiry { get; } = new("--after-expiry")
    {
        Description = "After --valid-to: refuse everything (refuse), or keep serving versions uploaded before it (fallback).",
        HelpName = "refuse|fallback",
    };

    public TokenRestrictionOptions()
    {
        ResetPeriod.AcceptOnlyFromAmong(ResetPeriods);
        AfterExpiry.AcceptOnlyFromAmong("refuse", "fallback");
    }

    public void AddTo(Command command)
    {
        command.Add(LimitDownloads);
        command.Add(LimitClients);
        command.Add(LimitBandwidth);
        command.Add(ValidFrom);
        command.Add(ValidTo);
        command.Add(PackageQuery);
        command.Add(AllowCidr);
        command.Add(ResetPeriod);
        command.Add(Metadata);
        command.Add(EulaRequired);
        command.Add(AfterExpiry);
    }

    public TokenRestrictionValues Read(ParseResult parse)
    {
        var cidrs = parse.GetValue(AllowCidr);
        var limitClients = parse.GetValue(LimitClients);
        if (limitClients > int.MaxValue)
        {
            throw new UsageException($"--limit-clients: {limitClients} is too large.");
        }
        return new TokenRestrictionValues(
            parse.GetValue(ValidFrom), parse.GetValue(ValidTo), parse.GetValue(LimitDownloads), (int?)limitClients,
            parse.GetValue(LimitBandwidth), parse.GetValue(PackageQuery), cidrs is { Length: > 0 } ? cidrs : null,
            parse.GetValue(ResetPeriod), parse.GetValue(Metadata), parse.GetValue(EulaRequired), parse.GetValue(AfterExpiry));
    }
}

public sealed record TokenRestrictionValues(
    DateTime? LimitDateFrom, DateTime? LimitDateTo, long? LimitDownloads, int? LimitClients, long? LimitBandwidthBytes,
    string? LimitPackageQuery, IReadOnlyList<string>? AllowedCidrs, string? ResetPeriod, JsonElement? Metadata,
    bool? EulaRequired, string? AfterExpiry);
