namespace EntitlementPortal.Identity;

/// <summary>Global roles (Identity roles). Repository privileges are per repository and live elsewhere.</summary>
public static class Roles
{
    public const string Administrator = "Administrator";
    public const string AccountManager = "AccountManager";
    public const string TokenManager = "TokenManager";

    public static IReadOnlyList<string> All { get; } = [Administrator, AccountManager, TokenManager];
}
