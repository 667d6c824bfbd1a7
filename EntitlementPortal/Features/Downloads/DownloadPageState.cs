using System.Globalization;
using EntitlementPortal.Features.Shared;
using Microsoft.AspNetCore.WebUtilities;

namespace EntitlementPortal.Features.Downloads;

/// <summary>Time presets of the Downloads page; <see cref="Custom"/> uses the picked calendar days.</summary>
public enum HistoryRange
{
    All,
    Last24Hours,
    Last7Days,
    Last30Days,
    Custom,
}

/// <summary>
/// Everything the Downloads page shows, as it lives in the query string (so a view can be bookmarked and shared):
/// the filters, the time preset or custom days, the page and the sort. Unreadable values are ignored rather than
/// failing the page.
/// </summary>
public sealed record DownloadPageState
{
    public const int DefaultPageSize = 25;

    public string? Repo { get; init; }
    public int? CustomerId { get; init; }
    public int? TokenId { get; init; }
    public string? UserId { get; init; }
    public string? Package { get; init; }
    public string? Version { get; init; }
    public HistoryOutcome? Outcome { get; init; }
    public string? Reason { get; init; }
    public string? ClientIp { get; init; }
    public HistoryRange Range { get; init; }

    /// <summary>Calendar days (UTC) of a custom range, both inclusive.</summary>
    public DateOnly? FromDay { get; init; }
    public DateOnly? ToDay { get; init; }

    public int Page { get; init; } = 1;
    public int PageSize { get; init; } = DefaultPageSize;
    public string? Sort { get; init; }
    public bool Descending { get; init; }

    private static readonly (HistoryRange Range, string Text)[] RangeTexts =
        [(HistoryRange.Last24Hours, "24h"), (HistoryRange.Last7Days, "7d"), (HistoryRange.Last30Days, "30d"), (HistoryRange.Custom, "custom")];

    public DownloadQuery ToQuery(DateTime utcNow)
    {
        var (from, to) = Range switch
        {
            HistoryRange.Last24Hours => (utcNow.AddHours(-24), (DateTime?)null),
            HistoryRange.Last7Days => (utcNow.AddDays(-7), null),
            HistoryRange.Last30Days => (utcNow.AddDays(-30), null),
            HistoryRange.Custom => (FromDay?.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc),
                // "To 30 Nov" means the whole of 30 Nov; the service bound is inclusive.
                ToDay?.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc).AddDays(1).AddTicks(-1)),
            _ => ((DateTime?)null, (DateTime?)null),
        };
        return new DownloadQuery(Repo, CustomerId, TokenId, From: from, To: to, UserId: UserId, Package: Package, Version: Version,
            Reason: Reason, ClientIp: ClientIp, Outcome: Outcome);
    }

    public PageRequest ToPageRequest() => new(Page, PageSize, SortBy: Sort, Descending: Descending);

    /// <summary>The same filters with the page back at one: a new filter starts the list again.</summary>
    public DownloadPageState WithFilter(DownloadPageState filter) => filter with { Page = 1, PageSize = PageSize, Sort = Sort, Descending = Descending };

    /// <summary>The query string (without "?") of this state; defaults are left out.</summary>
    public string ToQueryString()
    {
        var pairs = new List<KeyValuePair<string, string?>>();
        void Add(string key, string? value)
        {
            if (!string.IsNullOrWhiteSpace(value))
            {
                pairs.Add(new(key, value));
            }
        }
        Add("repo", Repo);
        Add("customerId", CustomerId?.ToString(CultureInfo.InvariantCulture));
        Add("tokenId", TokenId?.ToString(CultureInfo.InvariantCulture));
        Add("userId", UserId);
        Add("package", Package);
        Add("version", Version);
        Add("outcome", Outcome?.ToString().ToLowerInvariant());
        Add("reason", Reason);
        Add("clientIp", ClientIp);
        Add("range", RangeTexts.FirstOrDefault(r => r.Range == Range).Text);
        if (Range == HistoryRange.Custom)
        {
            Add("from", FromDay?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            Add("to", ToDay?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        }
        Add("page", Page > 1 ? Page.ToString(CultureInfo.InvariantCulture) : null);
        Add("pageSize", PageSize != DefaultPageSize ? PageSize.ToString(CultureInfo.InvariantCulture) : null);
        Add("sort", Sort);
        Add("desc", Sort is not null && Descending ? "true" : null);
        return QueryString.Create(pairs).ToUriComponent().TrimStart('?');
    }

    /// <summary>The filters for the export link: the API's names, with the preset turned into times now.</summary>
    public string ToExportQueryString(DateTime utcNow)
    {
        var query = ToQuery(utcNow);
        var pairs = new Dictionary<string, string?>
        {
            ["repo"] = query.Repo, ["customerId"] = query.CustomerId?.ToString(CultureInfo.InvariantCulture),
            ["tokenId"] = query.TokenId?.ToString(CultureInfo.InvariantCulture), ["userId"] = query.UserId, ["package"] = query.Package,
            ["version"] = query.Version, ["outcome"] = query.Outcome?.ToString().ToLowerInvariant(), ["reason"] = query.Reason,
            ["clientIp"] = query.ClientIp, ["from"] = query.From?.ToString("O", CultureInfo.InvariantCulture),
            ["to"] = query.To?.ToString("O", CultureInfo.InvariantCulture),
        };
        return QueryString.Create(pairs.Where(p => p.Value is not null)).ToUriComponent().TrimStart('?');
    }

    public static DownloadPageState FromUri(string uri)
    {
        var queryStart = uri.IndexOf('?', StringComparison.Ordinal);
        var values = queryStart < 0 ? [] : QueryHelpers.ParseQuery(uri[queryStart..]);
        string? Text(string key) => values.TryGetValue(key, out var value) && !string.IsNullOrWhiteSpace(value) ? value.ToString().Trim() : null;
        int? Number(string key) => int.TryParse(Text(key), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : null;
        DateOnly? Day(string key) => DateOnly.TryParseExact(Text(key), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;
        var sort = Text("sort");
        return new DownloadPageState
        {
            Repo = Text("repo"),
            CustomerId = Number("customerId"),
            TokenId = Number("tokenId"),
            UserId = Text("userId"),
            Package = Text("package"),
            Version = Text("version"),
            Outcome = Enum.TryParse<HistoryOutcome>(Text("outcome"), ignoreCase: true, out var outcome) && Enum.IsDefined(outcome) ? outcome : null,
            Reason = Text("reason"),
            ClientIp = Text("clientIp"),
            Range = RangeTexts.FirstOrDefault(r => r.Text == Text("range")).Range,
            FromDay = Day("from"),
            ToDay = Day("to"),
            Page = Number("page") ?? 1,
            PageSize = Math.Min(Number("pageSize") ?? DefaultPageSize, PageRequest.MaxPageSize),
            Sort = sort is not null && DownloadHistoryService.SortFields.Contains(sort) ? sort : null,
            Descending = Text("desc") == "true",
        };
    }
}
