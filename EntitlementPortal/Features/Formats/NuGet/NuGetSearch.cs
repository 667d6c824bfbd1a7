namespace EntitlementPortal.Features.Formats.NuGet;

/// <summary>
/// The search resource over the caller's visible packages: every word of <c>q</c> must occur in the id, title or tags
/// (case-insensitively; <c>id:</c>/<c>packageid:</c> asks for an exact id); without <c>prerelease=true</c> only
/// stable versions count. Download counts are not shown: they are per customer, not the feed's to tell.
/// </summary>
public sealed record NuGetSearch(string? Query, int Skip, int Take, bool Prerelease)
{
    private const int MaxTake = 1000;

    public SearchResults Run(IReadOnlyList<NuGetFeedPackage> packages, NuGetFeedUrls urls)
    {
        var terms = (Query ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var hits = packages
            .Select(p => p with { Versions = p.Versions.Where(v => Prerelease || !v.IsPrerelease).ToList() })
            .Where(p => p.Versions.Count > 0 && terms.All(t => Matches(p, t)))
            .OrderBy(p => p.Name, StringComparer.Ordinal)
            .ToList();
        var page = hits.Skip(Math.Max(Skip, 0)).Take(Math.Clamp(Take, 0, MaxTake)).Select(p => Result(p, urls)).ToList();
        return new SearchResults(hits.Count, page);
    }

    private static bool Matches(NuGetFeedPackage package, string term)
    {
        var colon = term.IndexOf(':', StringComparison.Ordinal);
        if (colon > 0 && term[..colon].ToLowerInvariant() is "id" or "packageid")
        {
            return package.Name.Equals(term[(colon + 1)..], StringComparison.OrdinalIgnoreCase);
        }
        var latest = package.Latest;
        return new[] { package.Name, latest.Title, latest.Tags }
            .Any(text => text?.Contains(term, StringComparison.OrdinalIgnoreCase) == true);
    }

    private static SearchResult Result(NuGetFeedPackage package, NuGetFeedUrls urls)
    {
        var latest = package.Latest;
        var registration = urls.RegistrationIndex(package.Name);
        var versions = package.Versions
            .Select(v => new SearchVersion(v.Metadata.Version, 0, urls.RegistrationLeaf(package.Name, v.File.Version)))
            .ToList();
        return new SearchResult(registration, "Package", registration, latest.Id, latest.Version, latest.Title, latest.Description,
            latest.Authors, latest.Tags, 0, versions);
    }
}
