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
}
