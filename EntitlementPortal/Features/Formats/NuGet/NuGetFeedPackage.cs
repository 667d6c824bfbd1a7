namespace EntitlementPortal.Features.Formats.NuGet;

/// <summary>A package id as the caller may see it in the feed: its visible versions, oldest first.</summary>
public sealed record NuGetFeedPackage(string Name, IReadOnlyList<NuGetFeedVersion> Versions)
{
    public NuGetPackageMetadata Latest => Versions[^1].Metadata;

    /// <summary>Groups an index's files (newest version first, per package) into packages with ascending versions.</summary>
    public static IReadOnlyList<NuGetFeedPackage> Of(IEnumerable<FormatFile> files) =>
        files.Where(f => f.Filename.EndsWith(".nupkg", StringComparison.Ordinal))
            .GroupBy(f => f.Package, StringComparer.Ordinal)
            .Select(g => new NuGetFeedPackage(g.Key, g
                .DistinctBy(f => f.Version, StringComparer.Ordinal)
                .Reverse()
                .Select(f => new NuGetFeedVersion(f, NuGetPackageMetadata.FromJson(f.PackageMetadata, f.Package, f.Version)))
                .ToList()))
            .ToList();
}

public sealed record NuGetFeedVersion(FormatFile File, NuGetPackageMetadata Metadata)
{
    public bool IsPrerelease => NuGetVersion.IsPrerelease(File.Version);
}
