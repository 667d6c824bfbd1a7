using EntitlementPortal.Features.Permissions;
using Microsoft.AspNetCore.Authorization;

namespace EntitlementPortal.Identity;

/// <summary>
/// Page and button policies for operations that need no repository. Each takes its roles from
/// <see cref="PermissionTable"/>, so a page can never show what the service would refuse (or the reverse).
/// </summary>
public static class Policies
{
    /// <summary>Users, teams and other administrators' business.</summary>
    public const string Administration = nameof(Administration);

    /// <summary>Read customers, tokens and the download history (the audit log has its own policy).</summary>
    public const string ReadEntitlements = nameof(ReadEntitlements);

    /// <summary>Read the audit log.</summary>
    public const string ReadAudit = nameof(ReadAudit);

    /// <summary>Create customers (and, through their repositories' rules, manage tokens everywhere).</summary>
    public const string ManageTokens = nameof(ManageTokens);

    /// <summary>Edit and delete customers.</summary>
    public const string EditCustomers = nameof(EditCustomers);

    /// <summary>Revoke and reinstate customers.</summary>
    public const string RevokeCustomers = nameof(RevokeCustomers);

    private static readonly (string Policy, Permission Permission)[] FromTable =
    [
        (Administration, Permission.ManageUsers),
        (ReadEntitlements, Permission.ViewCustomers),
        (ReadAudit, Permission.ViewAudit),
        (ManageTokens, Permission.CreateCustomer),
        (EditCustomers, Permission.EditCustomer),
        (RevokeCustomers, Permission.RevokeCustomer),
    ];

    public static void Configure(AuthorizationOptions options)
    {
        // Secure by default: every endpoint needs a signed-in user unless it opts out explicitly.
        options.FallbackPolicy = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build();
        foreach (var (policy, permission) in FromTable)
        {
            options.AddPolicy(policy, builder => builder.RequireRole(RolesAllowed(permission)));
        }
    }

    /// <summary>The global roles that the table allows <paramref name="permission"/> to.</summary>
    public static string[] RolesAllowed(Permission permission) =>
        PermissionTable.For(permission).AllowedTo.Select(standing => standing switch
        {
            Standing.Administrator => Roles.Administrator,
            Standing.AccountManager => Roles.AccountManager,
            Standing.TokenManager => Roles.TokenManager,
            _ => null,
        }).OfType<string>().ToArray();
}
