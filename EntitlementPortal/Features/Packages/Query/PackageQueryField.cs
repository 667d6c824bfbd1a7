namespace EntitlementPortal.Features.Packages.Query;

public enum PackageQueryField
{
    Name,
    Version,
    Filename,
    Tag,
    Format,
}
