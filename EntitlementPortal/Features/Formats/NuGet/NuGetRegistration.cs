namespace EntitlementPortal.Features.Formats.NuGet;

/// <summary>
/// A package's registration index with its one page and every leaf inlined: NuGet then needs no further requests
/// (a feed of private packages has few versions per id, far below the 64 per page nuget.org pages by).
/// </summary>
public static class NuGetRegistration
{
    public static RegistrationIndex Of(NuGetFeedPackage package, NuGetFeedUrls urls)
    {
        var indexUrl = urls.RegistrationIndex(package.Name);
        var leaves = package.Versions.Select(v => Leaf(package.Name, v, urls)).ToList();
        var lower = package.Versions[0].Metadata.Version;
        var upper = package.Versions[^1].Metadata.Version;
        var page = new RegistrationPage($"{indexUrl}#page/{lower}/{upper}", leaves.Count, lower, upper, leaves);
        return new RegistrationIndex(indexUrl, 1, [page]);
    }

    private static RegistrationLeaf Leaf(string name, NuGetFeedVersion version, NuGetFeedUrls urls)
    {
        var m = version.Metadata;
        var leafUrl = urls.RegistrationLeaf(name, version.File.Version);
        var content = urls.PackageContent(name, version.File.Version);
        var groups = m.DependencyGroups
            .Select(g => new DependencyGroupEntry(g.TargetFramework, g.Dependencies.Select(d => new DependencyEntry(d.Id, d.Range)).ToList()))
            .ToList();
        var entry = new CatalogEntry(leafUrl, m.Id, m.Version, Listed: true, m.Title, m.Description, m.Authors, m.Tags, m.ProjectUrl,
            m.LicenseExpression, m.LicenseUrl, version.File.UploadedAt, content, groups);
        return new RegistrationLeaf(leafUrl, entry, content, urls.RegistrationIndex(name));
    }
}
