using EntitlementPortal.Data;
using EntitlementPortal.Features.Packages;
using EntitlementPortal.Features.Packages.Query;
using EntitlementPortal.Features.Permissions;
using EntitlementPortal.Features.Shared;
using Microsoft.EntityFrameworkCore;

namespace EntitlementPortal.Features.Formats;

/// <summary>A format's client set-up for one repository, with the names of its packages a token may see.</summary>
public sealed record FormatInstall(string Format, string DisplayName, IReadOnlyList<string> PackageNames, IReadOnlyList<ClientSnippet> Snippets);

/// <summary>
/// Install snippets per format (pip.conf and pip install, .npmrc and npm install, nuget.config and dotnet add
/// package) for the formats a repository holds, limited to the packages a token's package query lets through, by the
/// same query the format indexes apply: a snippet never names a package the token can't install.
/// </summary>
public sealed class InstallSnippets(IDbContextFactory<AppDbContext> dbFactory, PermissionCheck permissions, PackageFormats formats)
{
    /// <summary>Package names per native format in <paramref name="repo"/> that <paramref name="packageQuery"/> lets through.</summary>
    public async Task<IReadOnlyDictionary<string, IReadOnlyList<string>>> PackagesByFormatAsync(
        Actor actor, string repo, string? packageQuery, CancellationToken cancellationToken = default)
    {
        (await permissions.InRepositoryAsync(actor, repo, cancellationToken)).Ensure(Permission.ViewPackages);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rows = await db.Set<PackageFile>().AsNoTracking()
            .Where(f => f.Package!.Repository!.Slug == repo && f.Package.Format != PackageRules.RawFormat)
            .Select(f => new { f.Package!.Name, f.Package.Version, f.Package.Tags, f.Package.Format, f.Filename })
            .ToListAsync(cancellationToken);
        var query = PackageQuery.FromStored(packageQuery);
        return rows
            .Where(r => query is null || query.Matches(new PackageFacts(r.Name, r.Version, r.Filename, PackageTags.Split(r.Tags), r.Format)))
            .GroupBy(r => r.Format, StringComparer.Ordinal)
            .ToDictionary(
                g => g.Key,
                g => (IReadOnlyList<string>)g.Select(r => r.Name).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList(),
                StringComparer.Ordinal);
    }

    /// <summary>
    /// The snippets for each format that has packages, in the order the portal lists formats. <paramref name="token"/>
    /// null puts the placeholder where the customer's token goes.
    /// </summary>
    public IReadOnlyList<FormatInstall> For(
        string baseUrl, string repo, string? token, IReadOnlyDictionary<string, IReadOnlyList<string>> packagesByFormat) =>
        formats.All
            .Where(f => packagesByFormat.ContainsKey(f.Name))
            .Select(f => new FormatInstall(f.Name, f.DisplayName, packagesByFormat[f.Name],
                f.Snippets(new SnippetContext(baseUrl.TrimEnd('/'), repo, token, packagesByFormat[f.Name]))))
            .ToList();
}
