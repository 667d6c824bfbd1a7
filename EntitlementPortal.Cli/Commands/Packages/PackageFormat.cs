namespace EntitlementPortal.Cli.Commands.Packages;

/// <summary>
/// Which format a file is, from its name, as the portal's own upload dialog decides. Native packages carry their
/// name and version in their own metadata; a raw file needs both given.
/// </summary>
public enum PackageFormat
{
    Raw,
    Python,
    Npm,
    NuGet,
}

public static class PackageFormatDetection
{
    public static PackageFormat Detect(string filename)
    {
        var name = Path.GetFileName(filename).ToLowerInvariant();
        if (name.EndsWith(".nupkg", StringComparison.Ordinal))
        {
            return PackageFormat.NuGet;
        }
        if (name.EndsWith(".whl", StringComparison.Ordinal))
        {
            return PackageFormat.Python;
        }
        if (name.EndsWith(".tgz", StringComparison.Ordinal))
        {
            return PackageFormat.Npm;
        }
        return PackageFormat.Raw;
    }
}
