using EntitlementPortal.Features.Downloads;
using EntitlementPortal.Features.Tokens;

namespace EntitlementPortal.Features.Dashboard;

/// <summary>
/// The UTC calendar days the dashboard sums, both inclusive. Whole days, because the figures come from the daily
/// rollup; the links give the download log the same days, so the log and the card cover one window.
/// </summary>
public sealed record DashboardWindow(DateOnly FromDay, DateOnly ToDay)
{
    public const int Days = 30;

    public static DashboardWindow EndingOn(DateOnly today) => new(today.AddDays(1 - Days), today);

    public DateTime Start => FromDay.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);

    /// <summary>The download log over these days, narrowed by <paramref name="filter"/>: <c>downloads?…</c>.</summary>
    public string LogHref(DownloadPageState? filter = null) =>
        "downloads?" + ((filter ?? new DownloadPageState()) with { Range = HistoryRange.Custom, FromDay = FromDay, ToDay = ToDay }).ToQueryString();
}

public sealed record CustomerDownloads(int CustomerId, string Name, long Downloads, long Bytes);

/// <summary>Refused attempts with one reason (null for refusals stored without one); a flood summary counts all it stands for.</summary>
public sealed record RefusalCount(string? Reason, long Attempts);

/// <summary>Why a token is on the watch list; a token can be there for several reasons.</summary>
[Flags]
public enum TokenConcern
{
    None = 0,
    ExpiresSoon = 1,
    NearDownloadLimit = 2,
    NearBandwidthLimit = 4,
    ClientsAtLimit = 8,
}

public sealed record TokenToWatch(
    int TokenId, string Repo, string Name, int? CustomerId, string? CustomerName, TokenConcern Concerns,
    DateTime? LimitDateTo, long Downloads, long? LimitDownloads, long BandwidthBytes, long? LimitBandwidthBytes, int Clients, int? LimitClients);

/// <summary>Everything the dashboard shows, read in one call.</summary>
public sealed record DashboardSummary(
    DashboardWindow Window,
    long Downloads,
    long Bytes,
    long Refused,
    TokenAllowance ActiveTokens,
    IReadOnlyList<CustomerDownloads> TopCustomers,
    IReadOnlyList<RefusalCount> RefusalsByReason,
    IReadOnlyList<TokenToWatch> TokensToWatch)
{
    public IReadOnlyList<SubscriptionEnding> SubscriptionsEnding { get; init; } = [];
}

/// <summary>A customer whose subscription ends soon, with how many active tokens it has.</summary>
public sealed record SubscriptionEnding(int CustomerId, string Name, string? Plan, DateTime EndsAt, int ActiveTokens);
