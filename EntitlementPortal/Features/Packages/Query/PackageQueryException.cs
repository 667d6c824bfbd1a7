namespace EntitlementPortal.Features.Packages.Query;

/// <summary>Thrown by <see cref="PackageQuery.Parse"/> for an invalid query.</summary>
public sealed class PackageQueryException(PackageQueryError error) : Exception(error.Message)
{
    internal PackageQueryException(string message, int position) : this(new PackageQueryError(message, position))
    {
    }

    public PackageQueryError Error { get; } = error;

    /// <summary>0-based index into the query text.</summary>
    public int Position => Error.Position;

    /// <summary>1-based column.</summary>
    public int Column => Error.Column;
}
