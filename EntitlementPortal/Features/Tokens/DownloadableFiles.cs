using EntitlementPortal.Data;
using EntitlementPortal.Features.Packages;
using EntitlementPortal.Features.Packages.Query;
using EntitlementPortal.Features.Permissions;
using EntitlementPortal.Features.Shared;
using Microsoft.EntityFrameworkCore;

namespace EntitlementPortal.Features.Tokens;

/// <summary>A file as a download command names it.</summary>
public sealed record DownloadableFile(string Package, string Version, string Filename, long Size);

/// <summary>The first <see cref="DownloadableFiles.MaxListed"/> files, and how many there are in all.</summary>
public sealed record DownloadableFileList(IReadOnlyList<DownloadableFile> Files, int Total);

/// <summary>A token that may download a given file, with its secret (only ever listed for those who may reveal it).</summary>
public sealed record FileToken(int Id, string Name, bool IsActive, string SecretHint, string Secret);

/// <summary>
/// How one file is downloaded: without credentials from a public repository; otherwise with one of
/// <see cref="Tokens"/> for people who may reveal secrets, or a placeholder for everyone else.
/// </summary>
public sealed record FileDownloadOptions(bool PublicRepository, bool MayRevealSecrets, IReadOnlyList<FileToken> Tokens);

/// <summary>
/// Which files a token may download and which tokens may download a file, by the same package query the download
/// endpoint applies (PackageQuery.FromStored: a stored query that no longer parses lets nothing through), so a
/// command the pages offer is one the endpoint serves.
/// </summary>
public sealed class DownloadableFiles(IDbContextFactory<AppDbContext> dbFactory, PermissionCheck permissions, TokenSecretProtector secrets)
{
    /// <summary>A picker longer than this helps nobody; the page says how many more there are.</summary>
    public const int MaxListed = 100;

    public async Task<DownloadableFileList> ForTokenAsync(Actor actor, string repo, int tokenId, CancellationToken cancellationToken = default)
    {
        (await permissions.InRepositoryAsync(actor, repo, cancellationToken)).Ensure(Permission.ViewTokens);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var token = await db.Set<EntitlementToken>().AsNoTracking()
            .Where(t => t.Id == tokenId && t.Repository!.Slug == repo && t.Kind == TokenKind.Standard)
            .Select(t => new { t.RepositoryId, t.LimitPackageQuery })
            .FirstOrDefaultAsync(cancellationToken)
            ?? throw new NotFoundException($"Token {tokenId} in repository '{repo}'");
        var query = PackageQuery.FromStored(token.LimitPackageQuery);
        var rows = await db.Set<PackageFile>().AsNoTracking()
            .Where(f => f.Package!.RepositoryId == token.RepositoryId)
            .Select(f => new { f.Package!.Name, f.Package.Version, f.Package.Tags, f.Package.Format, f.Filename, f.Size })
            .ToListAsync(cancellationToken);
        var visible = rows
            .Where(r => query is null || query.Matches(new PackageFacts(r.Name, r.Version, r.Filename, SplitTags(r.Tags), r.Format)))
            .OrderBy(r => r.Name, StringComparer.Ordinal)
            .ThenByDescending(r => PackageVersion.Parse(r.Version))
            .ThenBy(r => r.Filename, StringComparer.Ordinal)
            .Select(r => new DownloadableFile(r.Name, r.Version, r.Filename, r.Size))
            .ToList();
        return new DownloadableFileList(visible.Take(MaxListed).ToList(), visible.Count);
    }

    /// <summary>
    /// For a private repository, its standard tokens (active first) whose package query lets this file through, listed
    /// only for people who may reveal secrets: everyone else gets a placeholder, and a list would add nothing they can use.
    /// </summary>
    public async Task<FileDownloadOptions> ForFileAsync(
        Actor actor, string repo, int packageId, string filename, CancellationToken cancellationToken = default)
    {
        var standings = await permissions.InRepositoryAsync(actor, repo, cancellationToken);
        standings.Ensure(Permission.ViewPackages);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var file = await db.Set<PackageFile>().AsNoTracking()
            .Where(f => f.PackageId == packageId && f.Filename == filename && f.Package!.Repository!.Slug == repo)
            .Select(f => new { f.Package!.RepositoryId, f.Package.Repository!.Visibility, f.Package.Name, f.Package.Version, f.Package.Tags, f.Package.Format })
            .FirstOrDefaultAsync(cancellationToken)
            ?? throw new NotFoundException($"File '{filename}' of package {packageId} in '{repo}'");
        if (file.Visibility == Repositories.RepositoryVisibility.Public)
        {
            return new FileDownloadOptions(true, false, []);
        }
        if (!standings.Allows(Permission.ViewTokens) || !standings.Allows(Permission.RevealTokenSecrets))
        {
            return new FileDownloadOptions(false, false, []);
        }
        var facts = new PackageFacts(file.Name, file.Version, filename, SplitTags(file.Tags), file.Format);
        var tokens = await db.Set<EntitlementToken>().AsNoTracking()
            .Where(t => t.RepositoryId == file.RepositoryId && t.Kind == TokenKind.Standard && !t.IsDeleted)
            .OrderByDescending(t => t.IsActive).ThenBy(t => t.Name)
            .Select(t => new { t.Id, t.Name, t.IsActive, t.SecretHint, t.SecretCiphertext, t.LimitPackageQuery })
            .ToListAsync(cancellationToken);
        return new FileDownloadOptions(false, true, tokens
            .Where(t => PackageQuery.FromStored(t.LimitPackageQuery) is not { } query || query.Matches(facts))
            .Take(MaxListed)
            .Select(t => new FileToken(t.Id, t.Name, t.IsActive, t.SecretHint, secrets.Reveal(t.SecretCiphertext)))
            .ToList());
    }

    private static string[] SplitTags(string tags) => tags.Split(',', StringSplitOptions.RemoveEmptyEntries);
}
