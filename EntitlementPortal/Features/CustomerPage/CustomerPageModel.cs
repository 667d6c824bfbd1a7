using EntitlementPortal.Features.Formats;
using EntitlementPortal.Features.Tokens;

namespace EntitlementPortal.Features.CustomerPage;

/// <summary>What the customer's download page shows: either a refusal or the token's files, usage and install set-up.</summary>
public sealed record CustomerPageModel(
    string? Vendor,
    string Repo,
    string RepoName,
    string? RepoDescription,
    CustomerPageRefusal? Refusal,
    CustomerTokenSummary? Token,
    IReadOnlyList<CustomerPackage> Packages,
    IReadOnlyList<FormatInstall> Installs,
    IReadOnlyList<CustomerCommand> FileCommands)
{
    /// <summary>The repository's licence agreement, when it has one.</summary>
    public string? Eula { get; init; }

    /// <summary>Where the page's accept form posts (the token's <c>eula</c> route); null on the basic form.</summary>
    public string? EulaAcceptUrl { get; init; }

    /// <summary>The token waits for the EULA: files are listed, but download only once it is accepted.</summary>
    public bool EulaPending => Token is { EulaRequired: true, EulaAcceptedAt: null };
}

/// <summary>Why the link doesn't work, in the words the download route uses (no more than it tells a script).</summary>
public sealed record CustomerPageRefusal(int Status, string Reason, string Detail);

/// <summary>A package with its versions, newest first.</summary>
public sealed record CustomerPackage(string Name, string Format, IReadOnlyList<CustomerVersion> Versions);

public sealed record CustomerVersion(string Version, IReadOnlyList<CustomerFile> Files);

public sealed record CustomerFile(string Filename, long Size, string Sha256, string Href)
{
    public string SizeText => ByteSize.Format(Size);
}

/// <summary>A copy-ready command (curl, wget) for one of the files.</summary>
public sealed record CustomerCommand(string Label, string Text);

/// <summary>The token's own terms as the page shows them: validity, limits and what has been used.</summary>
public sealed record CustomerTokenSummary(
    string Name,
    string? Customer,
    DateTime? ValidFrom,
    DateTime? ValidUntil,
    long? LimitDownloads,
    int? LimitClients,
    long? LimitBandwidthBytes,
    long Downloads,
    int Clients,
    long BandwidthBytes,
    ResetPeriod ResetPeriod,
    DateTime? NextResetAt)
{
    public bool EulaRequired { get; init; }
    public DateTime? EulaAcceptedAt { get; init; }

    /// <summary>afterExpiry fallback: after expiry it keeps the versions released before then.</summary>
    public bool Fallback { get; init; }

    public bool Expired(DateTime now) => ValidUntil is { } until && now >= until;

    /// <summary>"2 of 10 downloads"; without a limit just what has been used.</summary>
    public IEnumerable<(string Label, string Value, bool UsedUp)> Usage()
    {
        yield return ("Downloads", Of(Downloads.ToString("N0", Invariant), LimitDownloads?.ToString("N0", Invariant)), Downloads >= LimitDownloads);
        yield return ("Machines", Of(Clients.ToString("N0", Invariant), LimitClients?.ToString("N0", Invariant)), Clients >= LimitClients);
        yield return ("Bandwidth", Of(ByteSize.Format(BandwidthBytes), LimitBandwidthBytes is { } b ? ByteSize.Format(b) : null), BandwidthBytes >= LimitBandwidthBytes);
    }

    public string? Resets => ResetPeriod == ResetPeriod.Never ? null
        : $"Usage resets {ResetPeriod.ToString().ToLowerInvariant()}" + (NextResetAt is { } next ? $", next on {next:yyyy-MM-dd HH:mm} UTC" : "") + ".";

    public string Validity => (ValidFrom, ValidUntil) switch
    {
        (null, null) => "No expiry.",
        ({ } from, null) => $"Valid from {from:yyyy-MM-dd HH:mm} UTC, no expiry.",
        (null, { } until) => $"Valid until {until:yyyy-MM-dd HH:mm} UTC.",
        ({ } from, { } until) => $"Valid from {from:yyyy-MM-dd HH:mm} UTC until {until:yyyy-MM-dd HH:mm} UTC.",
    } + (Fallback && ValidUntil is { } end
        ? $" After that, the versions released before {end:yyyy-MM-dd HH:mm} UTC keep downloading; newer ones don't."
        : "");

    private static readonly System.Globalization.CultureInfo Invariant = System.Globalization.CultureInfo.InvariantCulture;

    private static string Of(string used, string? limit) => limit is null ? $"{used} (no limit)" : $"{used} of {limit}";
}
