namespace EntitlementPortal.Features.Shared;

/// <summary>A page of a list, 1-based, as the API and the grids ask for it.</summary>
public sealed record PageRequest(int Page = 1, int PageSize = 25, string? Search = null, string? SortBy = null, bool Descending = false)
{
    public const int MaxPageSize = 500;

    public int SafePage => Math.Max(1, Page);

    public int SafePageSize => Math.Clamp(PageSize, 1, MaxPageSize);

    /// <summary>
    /// Rows before this page. Computed in 64 bits and capped at int.MaxValue: page 2147483647 of 500 used to overflow
    /// into a negative offset (the first page again, or a database error); past the end it is simply an empty page.
    /// </summary>
    public int Skip => (int)Math.Min((long)(SafePage - 1) * SafePageSize, int.MaxValue);

    public string? SearchTerm => string.IsNullOrWhiteSpace(Search) ? null : Search.Trim();
}

/// <summary>Serialised as <c>{ "items": [...], "total": N }</c>.</summary>
public sealed record PagedResult<T>(IReadOnlyList<T> Items, int Total);
