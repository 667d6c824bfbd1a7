namespace EntitlementPortal.Features.Packages.Query;

/// <summary>Why a query was rejected, and where.</summary>
/// <param name="Message">One sentence for the user, naming the 0-based position, e.g. "Unexpected ')' at position 9."</param>
/// <param name="Position">0-based index into the query text.</param>
public sealed record PackageQueryError(string Message, int Position)
{
    /// <summary>1-based, for editors and form fields that count columns from 1.</summary>
    public int Column => Position + 1;
}
