namespace EntitlementPortal.Features.Tokens;

public static class TokenRules
{
    public const int NameMaxLength = 200;
    public const int PackageQueryMaxLength = 2000;
    public const int MaxCidrs = 100;
    public const int MaxGraceSeconds = 30 * 24 * 3600;
}
