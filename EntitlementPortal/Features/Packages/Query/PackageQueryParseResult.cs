using System.Diagnostics.CodeAnalysis;

namespace EntitlementPortal.Features.Packages.Query;

/// <summary>Either a parsed query or the first error in it.</summary>
public sealed class PackageQueryParseResult
{
    private PackageQueryParseResult(PackageQuery? query, PackageQueryError? error)
    {
        Query = query;
        Error = error;
    }

    public PackageQuery? Query { get; }

    public PackageQueryError? Error { get; }

    [MemberNotNullWhen(true, nameof(Query))]
    [MemberNotNullWhen(false, nameof(Error))]
    public bool IsValid => Query is not null;

    internal static PackageQueryParseResult Success(PackageQuery query) => new(query, null);

    internal static PackageQueryParseResult Failure(PackageQueryError error) => new(null, error);
}
