namespace EntitlementPortal.Tests.Permissions;

/// <summary>What a caller gets: allowed, refused (403; 401 on the API when anonymous), or not told the repository exists (404).</summary>
public enum Expected
{
    Yes,
    No,
    Hidden,
}

/// <summary>One row of the matrix: an operation, its API route, and what each <see cref="Caller"/> gets, in column order.</summary>
public sealed record MatrixRow(string Operation, string Route, IReadOnlyList<Expected> Cells)
{
    public Expected For(Caller caller) => Cells[(int)caller];
}

/// <summary>
/// The expected permission matrix, written out by hand so it is independent of the app's own table: the matrix
/// test runs every row for every caller through the service and the API, and docs/permissions.md must print
/// exactly this (PermissionsDocumentTests).
/// </summary>
public static class PermissionMatrix
{
    // Columns: Administrator, AccountManager, TokenManager, repository admin, write owner, write non-owner, read, no access, anonymous.
    public static IReadOnlyList<MatrixRow> Rows { get; } =
    [
        Row("See a private repository", "GET /api/v1/repos/{repo}", "Y Y Y Y Y Y Y H N"),
        Row("Create a repository", "POST /api/v1/repos", "Y N N N N N N N N"),
        Row("Edit a repository", "PATCH /api/v1/repos/{repo}", "Y N N Y N N N H N"),
        Row("Delete a repository", "DELETE /api/v1/repos/{repo}", "Y N N N N N N N N"),
        Row("See its members", "GET /api/v1/repos/{repo}/privileges", "Y N N Y N N N H N"),
        Row("Grant a privilege", "PUT /api/v1/repos/{repo}/privileges/users/{userId}", "Y N N Y N N N H N"),
        Row("List packages", "GET /api/v1/repos/{repo}/packages", "Y Y Y Y Y Y Y H N"),
        Row("Upload a new package", "POST /api/v1/repos/{repo}/packages", "Y N N Y Y Y N H N"),
        Row("Add a file to the owner's package", "POST /api/v1/repos/{repo}/packages", "Y N N Y Y N N H N"),
        Row("Delete the owner's package", "DELETE /api/v1/repos/{repo}/packages/{id}", "Y N N Y Y N N H N"),
        Row("List standard tokens", "GET /api/v1/repos/{repo}/entitlements", "Y Y Y Y Y Y N H N"),
        Row("See a standard token's secret", "GET /api/v1/repos/{repo}/entitlements/{id}", "Y N Y Y Y Y N H N"),
        Row("Create a standard token", "POST /api/v1/repos/{repo}/entitlements", "Y N Y Y Y Y N H N"),
        Row("Edit a standard token", "PATCH /api/v1/repos/{repo}/entitlements/{id}", "Y N Y Y Y Y N H N"),
        Row("Disable a standard token", "POST /api/v1/repos/{repo}/entitlements/{id}/disable", "Y N Y Y Y Y N H N"),
        Row("Refresh a standard token", "POST /api/v1/repos/{repo}/entitlements/{id}/refresh", "Y N Y Y Y Y N H N"),
        Row("Delete a standard token", "DELETE /api/v1/repos/{repo}/entitlements/{id}", "Y N Y Y Y Y N H N"),
        Row("List customers", "GET /api/v1/customers", "Y Y Y N N N N N N"),
        Row("Create a customer", "POST /api/v1/customers", "Y N Y N N N N N N"),
        Row("Edit a customer", "PATCH /api/v1/customers/{id}", "Y N N N N N N N N"),
        Row("Revoke a customer", "POST /api/v1/customers/{id}/revoke", "Y N Y N N N N N N"),
        Row("Delete a customer", "DELETE /api/v1/customers/{id}", "Y N N N N N N N N"),
        Row("Read the download history", "GET /api/v1/downloads", "Y Y Y N N N N N N"),
        Row("Export the download history", "GET /api/v1/downloads/export", "Y Y Y N N N N N N"),
        Row("See a repository's metrics", "GET /api/v1/repos/{repo}/metrics", "Y Y Y N N N N N N"),
        Row("See a customer's usage", "GET /api/v1/customers/{id}/usage", "Y Y Y N N N N N N"),
        Row("Read the audit log", "GET /api/v1/audit", "Y Y N N N N N N N"),
        Row("List users", "GET /api/v1/users", "Y N N N N N N N N"),
        Row("Create a team", "POST /api/v1/teams", "Y N N N N N N N N"),
        Row("List webhooks", "GET /api/v1/webhooks", "Y N N N N N N N N"),
        Row("Create a webhook", "POST /api/v1/webhooks", "Y N N N N N N N N"),
        Row("Get one's own user token", "GET /api/v1/repos/{repo}/user-token", "Y N N Y Y Y Y H N"),
        Row("Refresh one's own user token", "POST /api/v1/repos/{repo}/user-token/refresh", "Y N N Y Y Y Y H N"),
        Row("See members' user tokens", "portal only (repository page)", "Y N N Y N N N H N"),
        Row("Download with Basic username and password", "GET /dl/basic/{repo}/{package}/{version}/{filename}", "Y N N Y Y Y Y N N"),
    ];

    public static MatrixRow Find(string operation) => Rows.Single(r => r.Operation == operation);

    private static MatrixRow Row(string operation, string route, string cells)
    {
        var parsed = cells.Split(' ').Select(c => c switch
        {
            "Y" => Expected.Yes,
            "N" => Expected.No,
            "H" => Expected.Hidden,
            _ => throw new ArgumentException($"Unknown cell '{c}' in row '{operation}'."),
        }).ToList();
        if (parsed.Count != Enum.GetValues<Caller>().Length)
        {
            throw new ArgumentException($"Row '{operation}' has {parsed.Count} cells.");
        }
        return new MatrixRow(operation, route, parsed);
    }
}
