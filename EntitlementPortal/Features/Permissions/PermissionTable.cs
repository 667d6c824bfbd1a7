using static EntitlementPortal.Features.Permissions.Standing;

namespace EntitlementPortal.Features.Permissions;

/// <summary>One rule of the table: the standings that allow an operation, and what the operation covers.</summary>
public sealed record PermissionRule(Permission Permission, string Operation, IReadOnlySet<Standing> AllowedTo)
{
    public bool Allows(IReadOnlySet<Standing> standings) => AllowedTo.Overlaps(standings);
}

/// <summary>
/// The one permission table: services ask it, pages ask it (through the services) to show buttons, and
/// docs/permissions.md prints it (a test keeps the two equal). Where the product left a case open, the safer
/// reading is taken; docs/permissions.md says why.
/// </summary>
public static class PermissionTable
{
    public static IReadOnlyList<PermissionRule> Rules { get; } =
    [
        Rule(Permission.ViewRepository, "See a private repository and its settings",
            Administrator, AccountManager, TokenManager, RepositoryAdmin, RepositoryWriter, RepositoryReader, PublicVisitor),
        Rule(Permission.CreateRepository, "Create a repository", Administrator),
        Rule(Permission.EditRepository, "Change a repository's name, description, visibility and user-token setting",
            Administrator, RepositoryAdmin),
        Rule(Permission.DeleteRepository, "Delete a repository", Administrator),
        Rule(Permission.ManageMembers, "See and change a repository's members (user and team privileges)", Administrator, RepositoryAdmin),
        Rule(Permission.ViewPackages, "See a repository's packages",
            Administrator, AccountManager, TokenManager, RepositoryAdmin, RepositoryWriter, RepositoryReader, PublicVisitor),
        Rule(Permission.UploadPackage, "Upload a package", Administrator, RepositoryAdmin, RepositoryWriter),
        Rule(Permission.ChangePackage, "Change or delete a package", Administrator, RepositoryAdmin, PackageOwner),
        Rule(Permission.ViewTokens, "See a repository's standard tokens (without secrets)",
            Administrator, AccountManager, TokenManager, RepositoryAdmin, RepositoryWriter),
        Rule(Permission.RevealTokenSecrets, "See the secrets of standard tokens",
            Administrator, TokenManager, RepositoryAdmin, RepositoryWriter),
        Rule(Permission.ManageTokens, "Create, edit, disable, enable, refresh, reset, delete and sync standard tokens",
            Administrator, TokenManager, RepositoryAdmin, RepositoryWriter),
        Rule(Permission.UseOwnUserToken, "Get, see and refresh one's own user token; download with it or with Basic username and password",
            Administrator, RepositoryAdmin, RepositoryWriter, RepositoryReader),
        Rule(Permission.ViewMembersUserTokens, "See members' user tokens", Administrator, RepositoryAdmin),
        Rule(Permission.ViewCustomers, "See customers", Administrator, AccountManager, TokenManager),
        Rule(Permission.CreateCustomer, "Create a customer", Administrator, TokenManager),
        Rule(Permission.EditCustomer, "Edit or delete a customer", Administrator),
        Rule(Permission.RevokeCustomer, "Revoke or reinstate a customer (disables or re-enables its tokens)", Administrator, TokenManager),
        Rule(Permission.ViewDownloadHistory, "See the download history", Administrator, AccountManager, TokenManager),
        Rule(Permission.ViewAudit, "See the audit log", Administrator, AccountManager),
        Rule(Permission.ManageUsers, "See and change users and their API keys", Administrator),
        Rule(Permission.ManageTeams, "See and change teams", Administrator),
        Rule(Permission.ManageWebhooks, "See and change webhook subscriptions and their deliveries", Administrator),
    ];

    private static readonly Dictionary<Permission, PermissionRule> ByPermission = Rules.ToDictionary(r => r.Permission);

    public static PermissionRule For(Permission permission) => ByPermission[permission];

    public static bool Allows(Permission permission, IReadOnlySet<Standing> standings) => For(permission).Allows(standings);

    private static PermissionRule Rule(Permission permission, string operation, params Standing[] allowedTo) =>
        new(permission, operation, allowedTo.ToHashSet());
}
