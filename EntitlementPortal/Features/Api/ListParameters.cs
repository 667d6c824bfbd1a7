using EntitlementPortal.Features.Shared;
using FluentValidation;
using FluentValidation.Results;

namespace EntitlementPortal.Features.Api;

/// <summary>Query string of every list route: page (1-based), pageSize (1–500), search, sort, desc.</summary>
public sealed class ListParameters
{
    public int? Page { get; set; }
    public int? PageSize { get; set; }
    public string? Search { get; set; }
    public string? Sort { get; set; }
    public bool? Desc { get; set; }

    public PageRequest ToPageRequest()
    {
        var failures = new List<ValidationFailure>();
        if (Page is < 1)
        {
            failures.Add(new ValidationFailure("page", "page starts at 1."));
        }
        if (PageSize is < 1 or > PageRequest.MaxPageSize)
        {
            failures.Add(new ValidationFailure("pageSize", $"pageSize must be between 1 and {PageRequest.MaxPageSize}."));
        }
        if (failures.Count > 0)
        {
            throw new ValidationException(failures);
        }
        return new PageRequest(Page ?? 1, PageSize ?? 50, Search, Sort, Desc ?? false);
    }

    /// <summary>An optional enum filter from the query string, by name and case-insensitive ("revoked").</summary>
    public static TEnum? ParseFilter<TEnum>(string? value, string field) where TEnum : struct, Enum
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }
        foreach (var candidate in Enum.GetValues<TEnum>())
        {
            if (string.Equals(candidate.ToString(), value.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                return candidate;
            }
        }
        var allowed = string.Join(", ", Enum.GetNames<TEnum>().Select(n => n.ToLowerInvariant()));
        throw new ValidationException([new ValidationFailure(field, $"{field} must be one of: {allowed}.")]);
    }
}
