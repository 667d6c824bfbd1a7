using EntitlementPortal.Features.Packages;

namespace EntitlementPortal.Features.Formats;

/// <summary>The formats this portal serves, by name; raw packages can't take a name that is a format's path segment.</summary>
public sealed class PackageFormats(IEnumerable<IPackageFormat> formats)
{
    public const string Python = "python";
    public const string Npm = "npm";
    public const string NuGet = "nuget";

    /// <summary>Path segments that belong to the format routes (`/dl/{token}/{repo}/python/...`).</summary>
    public static IReadOnlyList<string> ReservedNames { get; } = [Python, Npm, NuGet];

    private readonly IReadOnlyList<IPackageFormat> all = formats.ToList();

    public IReadOnlyList<IPackageFormat> All => all;

    public IPackageFormat? Find(string? name) => all.FirstOrDefault(f => f.Name == name);

    /// <summary>The format that claims a file of this name most surely, with how sure it is; null for a raw file.</summary>
    public (IPackageFormat Format, FormatClaim Claim)? Detect(string? filename)
    {
        if (string.IsNullOrEmpty(filename))
        {
            return null;
        }
        var best = all.Select(f => (Format: f, Claim: f.Claims(filename))).Where(c => c.Claim != FormatClaim.None)
            .OrderByDescending(c => c.Claim).FirstOrDefault();
        return best.Format is null ? null : best;
    }

    public static string DisplayName(string format) => format switch
    {
        Python => "Python",
        Npm => "npm",
        NuGet => "NuGet",
        PackageRules.RawFormat => "Raw",
        _ => format,
    };
}
