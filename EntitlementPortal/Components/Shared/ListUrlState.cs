using System.Globalization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.WebUtilities;
using MudBlazor;

namespace EntitlementPortal.Components.Shared;

/// <summary>
/// A list's page, page size, sort, search and filters as they live in the query string, so a view can be
/// bookmarked, shared and restored with Back. Keys carry the list's prefix ("tokens-page") when a page shows
/// several lists; unreadable values fall back to the defaults instead of failing the page.
/// </summary>
public sealed class ListUrlState
{
    public const int DefaultPageSize = 25;
    private static readonly int[] PageSizes = [10, 25, 50, 100];

    private readonly string prefix;
    private readonly string? defaultSort;
    private readonly string[] filterKeys;
    private readonly Dictionary<string, string> filters;

    private ListUrlState(
        string prefix, string? defaultSort, string[] filterKeys, int page, int pageSize, string? sort, bool descending, string? search, Dictionary<string, string> filters)
    {
        this.prefix = prefix;
        this.defaultSort = defaultSort;
        this.filterKeys = filterKeys;
        Page = page;
        PageSize = pageSize;
        Sort = sort;
        Descending = descending;
        Search = search;
        this.filters = filters;
    }

    /// <summary>The page, from 1.</summary>
    public int Page { get; private set; }

    public int PageSize { get; private set; }

    public string? Sort { get; private set; }

    public bool Descending { get; private set; }

    public string? Search { get; private set; }

    /// <summary>The table's page index (from 0), for MudTable's CurrentPage.</summary>
    public int PageIndex => Page - 1;

    /// <param name="defaultSort">The column the list sorts by, ascending, when the address names none.</param>
    public static ListUrlState FromUri(string uri, string? defaultSort, string prefix = "", params string[] filterKeys)
    {
        var queryStart = uri.IndexOf('?', StringComparison.Ordinal);
        var values = queryStart < 0 ? [] : QueryHelpers.ParseQuery(uri[queryStart..]);
        string? Text(string key) =>
            values.TryGetValue(prefix + key, out var value) && !string.IsNullOrWhiteSpace(value) ? value.ToString().Trim() : null;
        int? Number(string key) =>
            int.TryParse(Text(key), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : null;
        var pageSize = Number("pageSize") is { } size && PageSizes.Contains(size) ? size : DefaultPageSize;
        var sort = Text("sort");
        var filters = filterKeys.Select(k => (Key: k, Value: Text(k))).Where(f => f.Value is not null)
            .ToDictionary(f => f.Key, f => f.Value!);
        return new ListUrlState(prefix, defaultSort, filterKeys, Number("page") ?? 1, pageSize, sort,
            sort is not null && Text("desc") is "true", Text("q"), filters);
    }

    public string? Filter(string key) => filters.GetValueOrDefault(key);

    /// <summary>How a sort label shows at first: the address's sort, else the list's default column.</summary>
    public SortDirection DirectionOf(string label) =>
        string.Equals(Sort ?? defaultSort, label, StringComparison.OrdinalIgnoreCase)
            ? Descending ? SortDirection.Descending : SortDirection.Ascending
            : SortDirection.None;

    /// <summary>Takes what the table asks for (page, size, sort) after a load.</summary>
    public void Take(TableState state)
    {
        Page = state.Page + 1;
        PageSize = state.PageSize;
        Descending = state.SortDirection == SortDirection.Descending;
        Sort = state.SortDirection == SortDirection.None
            || (!Descending && string.Equals(state.SortLabel, defaultSort, StringComparison.OrdinalIgnoreCase))
            ? null
            : state.SortLabel;
        Descending = Sort is not null && Descending;
    }

    /// <summary>Takes the page and page size a list without sorting shows after a load (page from 0, as grids count).</summary>
    public void TakePage(int pageIndex, int pageSize)
    {
        Page = pageIndex + 1;
        PageSize = pageSize;
    }

    public void SetSearch(string? search) => Search = string.IsNullOrWhiteSpace(search) ? null : search.Trim();

    /// <summary>Sets a filter; null or the default value leaves it out of the URL.</summary>
    public void SetFilter(string key, string? value, string? defaultValue = null)
    {
        if (!filterKeys.Contains(key))
        {
            throw new ArgumentException($"'{key}' is not one of this list's filters.", nameof(key));
        }
        if (string.IsNullOrWhiteSpace(value) || value == defaultValue)
        {
            filters.Remove(key);
        }
        else
        {
            filters[key] = value;
        }
    }

    /// <summary>
    /// Writes the state into the current address (replacing the history entry, so Back leaves the page rather
    /// than undoing a sort) when it changed; other query parameters stay as they are.
    /// </summary>
    public void WriteTo(NavigationManager navigation)
    {
        var current = navigation.Uri;
        var updated = ApplyTo(current);
        if (!string.Equals(current, updated, StringComparison.Ordinal))
        {
            navigation.NavigateTo(updated, replace: true);
        }
    }

    public string ApplyTo(string uri)
    {
        var queryStart = uri.IndexOf('?', StringComparison.Ordinal);
        var path = queryStart < 0 ? uri : uri[..queryStart];
        var existing = queryStart < 0 ? [] : QueryHelpers.ParseQuery(uri[queryStart..]);
        var mine = new Dictionary<string, string?>
        {
            ["page"] = Page > 1 ? Page.ToString(CultureInfo.InvariantCulture) : null,
            ["pageSize"] = PageSize != DefaultPageSize ? PageSize.ToString(CultureInfo.InvariantCulture) : null,
            ["sort"] = Sort,
            ["desc"] = Sort is not null && Descending ? "true" : null,
            ["q"] = Search,
        };
        foreach (var key in filterKeys)
        {
            mine[key] = filters.GetValueOrDefault(key);
        }
        var owned = mine.Keys.Select(k => prefix + k).ToHashSet(StringComparer.Ordinal);
        var pairs = existing
            .Where(p => !owned.Contains(p.Key))
            .SelectMany(p => p.Value.Select(v => new KeyValuePair<string, string?>(p.Key, v)))
            .Concat(mine.Where(m => m.Value is not null).Select(m => new KeyValuePair<string, string?>(prefix + m.Key, m.Value)))
            .ToList();
        return pairs.Count == 0 ? path : path + QueryString.Create(pairs).ToUriComponent();
    }
}
