using Microsoft.AspNetCore.Authorization;

namespace EntitlementPortal.Identity;

public static class Policies
{
    /// <summary>Vendor administrators only: settings, users, anything destructive.</summary>
    public const string Administration = nameof(Administration);

    /// <summary>Read customers, tokens and the download history (the audit log has its own policy).</summary>
    public const string ReadEntitlements = nameof(ReadEntitlements);

    /// <summary>Read the audit log: administrators and account managers.</summary>
    public const string ReadAudit = nameof(ReadAudit);

    /// <summary>Create, change, disable and refresh tokens; manage customers.</summary>
    public const string ManageTokens = nameof(ManageTokens);

    public static void Configure(AuthorizationOptions options)
    {
        // Secure by default: every endpoint needs a signed-in user unless it opts out explicitly.
        options.FallbackPolicy = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build();
        options.AddPolicy(Administration, policy => policy.RequireRole(Roles.Administrator));
        options.AddPolicy(ReadEntitlements, policy => policy.RequireRole(Roles.Administrator, Roles.AccountManager, Roles.TokenManager));
        options.AddPolicy(ReadAudit, policy => policy.RequireRole(Roles.Administrator, Roles.AccountManager));
        options.AddPolicy(ManageTokens, policy => policy.RequireRole(Roles.Administrator, Roles.TokenManager));
    }
}
