using EntitlementPortal.Data;
using EntitlementPortal.Features.Customers;
using EntitlementPortal.Features.Packages;
using EntitlementPortal.Features.Packages.Query;
using EntitlementPortal.Features.Repositories;
using EntitlementPortal.Features.Tokens;
using Microsoft.EntityFrameworkCore;

namespace EntitlementPortal.Features.Downloads.ReadModel;

/// <summary>The database look-ups behind <see cref="DownloadReadModel"/>'s misses: the queries downloads made before it.</summary>
internal sealed class DownloadModelLoader(IDbContextFactory<AppDbContext> dbFactory)
{
    public async Task<DownloadRepository?> RepositoryAsync(string slug, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Set<Repository>().AsNoTracking().Where(r => r.Slug == slug)
            .Select(r => new DownloadRepository(r.Id, r.Slug, r.Visibility, r.UserTokensEnabled))
            .FirstOrDefaultAsync(cancellationToken);
    }

    /// <summary>The token of the repository whose current or previous secret has this digest.</summary>
    public async Task<DownloadToken?> TokenAsync(TokenKey key, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var row = await db.Set<EntitlementToken>().AsNoTracking()
            .Where(t => t.RepositoryId == key.RepositoryId && (t.SecretDigest == key.Digest || t.PreviousSecretDigest == key.Digest))
            .Select(t => new
            {
                t.Id, t.CustomerId, t.UserId, t.Kind, t.SecretDigest, t.PreviousSecretValidUntil, t.IsActive, t.IsDeleted,
                CustomerRevoked = t.Customer != null && t.Customer.Status == CustomerStatus.Revoked,
                t.LimitDateFrom, t.LimitDateTo, t.LimitPackageQuery, t.AllowedCidrs,
                EulaPending = t.EulaRequired && t.EulaAcceptedAt == null, t.AfterExpiry,
            })
            .FirstOrDefaultAsync(cancellationToken);
        return row is null ? null : new DownloadToken(
            row.Id, row.CustomerId, row.UserId, row.Kind, row.SecretDigest, row.PreviousSecretValidUntil, row.IsActive, row.IsDeleted,
            row.CustomerRevoked, row.LimitDateFrom, row.LimitDateTo,
            PackageQuery.FromStored(row.LimitPackageQuery), CidrList.FromStored(row.AllowedCidrs),
            row.EulaPending, row.AfterExpiry == AfterExpiry.Fallback);
    }

    public async Task<DownloadFile?> FileAsync(FileKey key, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var row = await db.Set<PackageFile>().AsNoTracking()
            .Where(f => f.Filename == key.Filename && f.Package!.RepositoryId == key.RepositoryId
                && f.Package.Name == key.Package && f.Package.Version == key.Version)
            .Select(f => new { File = new DownloadService.FileRow(f.Filename, f.Size, f.Sha256, f.ContentType, f.UploadedAt), f.Package!.Tags, f.Package.Format, VersionCreatedAt = f.Package.UploadedAt })
            .FirstOrDefaultAsync(cancellationToken);
        return row is null ? null : new DownloadFile(row.File, PackageTags(row.Tags), row.Format, row.VersionCreatedAt);
    }

    public static IReadOnlyCollection<string> PackageTags(string tags) => tags.Split(',', StringSplitOptions.RemoveEmptyEntries);
}
