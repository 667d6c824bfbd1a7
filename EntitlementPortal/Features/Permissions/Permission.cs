namespace EntitlementPortal.Features.Permissions;

/// <summary>Every operation the portal and the API guard. <see cref="PermissionTable"/> says who may do each.</summary>
public enum Permission
{
    ViewRepository,
    CreateRepository,
    EditRepository,
    DeleteRepository,
    ManageMembers,
    ViewPackages,
    UploadPackage,
    ChangePackage,
    ViewTokens,
    RevealTokenSecrets,
    ManageTokens,
    UseOwnUserToken,
    ViewMembersUserTokens,
    ViewCustomers,
    CreateCustomer,
    EditCustomer,
    RevokeCustomer,
    ViewDownloadHistory,
    ViewAudit,
    ManageUsers,
    ManageTeams,
    ManageWebhooks,
}

/// <summary>
/// What makes a caller allowed: a global role, a repository privilege (an admin is also a writer and a reader),
/// owning the package at hand (a writer who uploaded it), or being signed in when the repository is public.
/// </summary>
public enum Standing
{
    Administrator,
    AccountManager,
    TokenManager,
    RepositoryAdmin,
    RepositoryWriter,
    PackageOwner,
    RepositoryReader,
    PublicVisitor,
}
