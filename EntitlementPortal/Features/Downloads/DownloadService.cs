using System.Net;
using EntitlementPortal.Data;
using EntitlementPortal.Features.Downloads.ReadModel;
using EntitlementPortal.Features.Packages;
using EntitlementPortal.Features.Packages.Query;
using EntitlementPortal.Features.Tokens;
using Microsoft.EntityFrameworkCore;

namespace EntitlementPortal.Features.Downloads;

/// <summary>
/// Decides every download: credentials (DownloadAccess), the token's rules (TokenAccessRules.Evaluate, a pure
/// function) and the exact counting with the count limits (UsageLedger, batched in the database). The endpoint
/// only translates the outcome. Repositories, tokens and files come from this instance's read model, as of the
/// version each request reads first.
/// </summary>
internal sealed class DownloadService(
    IDbContextFactory<AppDbContext> dbFactory,
    DownloadReadModel readModel,
    DownloadAccess access,
    UsageLedger ledger,
    PackageStorage storage,
    ContentCache contentCache,
    AccelRedirectOffload offload,
    ILogger<DownloadService> logger,
    TimeProvider clock)
{
    public async Task<DownloadOutcome> DecideAsync(
        DownloadTarget target, DownloadCredentials? credentials, bool publicRoute, HttpRequest request, DownloadEvent record,
        CancellationToken cancellationToken)
    {
        var client = request.HttpContext.Connection.RemoteIpAddress ?? IPAddress.None;
        var model = await readModel.OpenAsync(cancellationToken);
        var (repository, accessor, refusal) = await access.ResolveAsync(model, target.Repo, credentials, publicRoute, client, cancellationToken);
        if (refusal is not null)
        {
            return new DownloadOutcome(null, refusal);
        }
        Describe(record, accessor!);

        var file = await model.FileAsync(repository!.Id, target, cancellationToken);
        // Content in the cache is there by its hash: no storage check for it, unless nginx sends the bytes
        // (offload), which reads them from the disk.
        var content = file is null || (!offload.IsEnabled && contentCache.Contains(file.File.Sha256))
            ? StoredContent.Present
            : await StoredContentOfAsync(file.File.Sha256, cancellationToken);
        if (content == StoredContent.StoreUnavailable)
        {
            // The store itself is away (a lost bucket): nothing is counted, and the client may come back.
            logger.LogError("Package storage is unavailable for {Repo}/{Package}/{Version}/{Filename}.", target.Repo, target.Package, target.Version, target.Filename);
            return DownloadOutcome.Refuse(503, "storage_unavailable", "Package storage is temporarily unavailable; try again later.");
        }
        if (content == StoredContent.Missing)
        {
            // The row is there but its content is not (storage lost or restored without it): never count such a request.
            logger.LogError("Package file {Repo}/{Package}/{Version}/{Filename} has no content in storage ({Sha256}).",
                target.Repo, target.Package, target.Version, target.Filename, file!.File.Sha256);
            return DownloadOutcome.Refuse(503, "file_unavailable", "This file is temporarily unavailable; the vendor has been told.");
        }
        var validators = file is null ? default : ValidatorsOf(file.File);
        var plan = file is null ? null : FileResponsePlan.Decide(request.Method, request.Headers, validators);
        var isHead = HttpMethods.IsHead(request.Method);

        if (accessor!.Token is not { } token)
        {
            return file is null ? NotFound() : DownloadOutcome.Serve(Serve(file, validators, plan!, null, 0));
        }
        var facts = FactsOf(token, accessor);
        var requestFacts = new DownloadRequestFacts(
            client,
            new PackageFacts(target.Package, target.Version, target.Filename, file?.Tags ?? [], file?.Format ?? PackageRules.RawFormat),
            // A missing file, a 416 or a HEAD sends no file: none of them may count or be limited.
            IsHead: isHead || plan is null || plan.Kind == FileResponseKind.RangeNotSatisfiable,
            // 304 and 412 send no file either.
            IsNotModified: plan is { Kind: FileResponseKind.NotModified or FileResponseKind.PreconditionFailed },
            IsRange: plan is { Kind: FileResponseKind.Partial },
            // Exactly the bytes the plan sends: FileDownloadResult sends this plan and nothing else.
            BytesToSend: plan is { HasContent: true } ? plan.Length : 0,
            VersionCreatedAt: file?.VersionCreatedAt);

        var decision = TokenAccessRules.Evaluate(facts, requestFacts, clock.GetUtcNow().UtcDateTime);
        if (decision.Refusal is { } refused)
        {
            return DownloadOutcome.Refuse(refused.Status, refused.Code, refused.Detail, challenge: refused.Status == 401 && record.AuthMethod != AuthMethod.TokenInPath);
        }
        if (file is null)
        {
            return NotFound();
        }
        long bytesCounted = 0;
        if (decision.Claim.ClaimsAnything)
        {
            // The count limits are decided by the ledger alone, against the counters it reads in its transaction:
            // the token facts above may be stale. It answers once this request's counting is committed.
            var fileKey = UsageLedger.FileKey(target.Repo, target.Package, target.Version, target.Filename);
            var admission = await ledger.CountAsync(new UsageItem(token.Id, client.ToString(), fileKey, decision.Claim), cancellationToken);
            if (admission.Refusal is { } limited)
            {
                return DownloadOutcome.Refuse(limited.Status, limited.Code, limited.Detail);
            }
            record.Counted = admission.CountsAsDownload;
            bytesCounted = admission.BytesCounted;
        }
        return DownloadOutcome.Serve(Serve(file, validators, plan!, token.Id, bytesCounted));
    }

    /// <summary>
    /// The files the caller may download from the repository (of one <paramref name="format"/>, or all), already
    /// filtered by the token's package query. Listing is never a download: it obeys the token's state, not its limits.
    /// </summary>
    public async Task<(IReadOnlyList<ListedFile> Files, DownloadRefusal? Refusal)> ListAsync(
        string repo, DownloadCredentials? credentials, HttpRequest request, DownloadEvent record, CancellationToken cancellationToken,
        string? format = null)
    {
        var (repository, accessor, refusal) = await ResolveListingAsync(repo, credentials, request, record, cancellationToken);
        if (refusal is not null)
        {
            return ([], refusal);
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var files = db.Set<PackageFile>().AsNoTracking().Where(f => f.Package!.RepositoryId == repository!.Id);
        if (format is not null)
        {
            files = files.Where(f => f.Package!.Format == format);
        }
        var rows = await files
            .Select(f => new
            {
                f.Package!.Name, f.Package.Version, f.Package.Tags, f.Package.Format, PackageMetadata = f.Package.FormatMetadata,
                VersionCreatedAt = f.Package.UploadedAt,
                File = new FileRow(f.Filename, f.Size, f.Sha256, f.ContentType, f.UploadedAt), FileMetadata = f.FormatMetadata,
            })
            .ToListAsync(cancellationToken);
        var query = accessor!.Query;
        // After expiry a fallback token lists exactly the versions it still serves (the file route's rule).
        var dates = accessor.Token is { } listing ? FactsOf(listing, accessor) : null;
        var now = clock.GetUtcNow().UtcDateTime;
        var visible = rows
            .Select(r => (Row: r, Tags: DownloadModelLoader.PackageTags(r.Tags)))
            .Where(r => query is null || query.Matches(new PackageFacts(r.Row.Name, r.Row.Version, r.Row.File.Filename, r.Tags, r.Row.Format)))
            .Where(r => dates is null || TokenAccessRules.ServesVersion(dates, r.Row.VersionCreatedAt, now))
            .OrderBy(r => r.Row.Name, StringComparer.Ordinal)
            .ThenByDescending(r => PackageVersion.Parse(r.Row.Version))
            .ThenBy(r => r.Row.File.Filename, StringComparer.Ordinal)
            .Select(r => new ListedFile(r.Row.Name, r.Row.Version, r.Tags, r.Row.Format, r.Row.PackageMetadata, r.Row.File, r.Row.FileMetadata))
            .ToList();
        return (visible, null);
    }

    /// <summary>
    /// Who is asking for the repository's index (or its download page, or to accept its EULA): the credential check
    /// and the token's state, as every index applies them. Reading an index is not a download and is never limited.
    /// </summary>
    internal async Task<(DownloadRepository? Repository, Accessor? Accessor, DownloadRefusal? Refusal)> ResolveListingAsync(
        string repo, DownloadCredentials? credentials, HttpRequest request, DownloadEvent record, CancellationToken cancellationToken)
    {
        var client = request.HttpContext.Connection.RemoteIpAddress ?? IPAddress.None;
        var model = await readModel.OpenAsync(cancellationToken);
        var (repository, accessor, refusal) = await access.ResolveAsync(model, repo, credentials, publicRoute: false, client, cancellationToken);
        if (refusal is not null)
        {
            return (null, null, refusal);
        }
        Describe(record, accessor!);
        if (accessor!.Token is { } token)
        {
            var facts = FactsOf(token, accessor) with { PackageQuery = null };
            var probe = new DownloadRequestFacts(client, new PackageFacts("", "", null, [], PackageRules.RawFormat), true, false, false, 0, IsListing: true);
            if (TokenAccessRules.Evaluate(facts, probe, clock.GetUtcNow().UtcDateTime).Refusal is { } refused)
            {
                return (null, null, new DownloadRefusal(refused.Status, refused.Code, refused.Detail));
            }
        }
        return (repository, accessor, null);
    }

    internal sealed record FileRow(string Filename, long Size, string Sha256, string ContentType, DateTime UploadedAt);

    /// <summary>A file the caller may see, with its package and what its format keeps about both.</summary>
    internal sealed record ListedFile(
        string Package, string Version, IReadOnlyCollection<string> Tags, string Format, string? PackageMetadata, FileRow File, string? FileMetadata);

    private static FileValidators ValidatorsOf(FileRow file) => new(ETagOf(file.Sha256), file.UploadedAt, file.Size);

    private static ServedFile Serve(DownloadFile file, FileValidators validators, FileResponsePlan plan, int? tokenId, long counted) =>
        new(file.File.Sha256, file.File.ContentType, file.File.Filename, validators, plan, tokenId, counted);

    private enum StoredContent
    {
        Present,
        Missing,
        StoreUnavailable,
    }

    private async Task<StoredContent> StoredContentOfAsync(string sha256, CancellationToken cancellationToken)
    {
        try
        {
            return await storage.ExistsAsync(sha256, cancellationToken) ? StoredContent.Present : StoredContent.Missing;
        }
        catch (Packages.Storage.BlobStoreUnavailableException)
        {
            return StoredContent.StoreUnavailable;
        }
    }

    private static DownloadOutcome NotFound() => DownloadOutcome.Refuse(404, "not_found", "Not found.");

    private static TokenFacts FactsOf(DownloadToken token, Accessor accessor) => new(
        token.IsActive, token.IsDeleted, token.CustomerRevoked, accessor.PresentedPreviousSecret,
        token.PreviousSecretValidUntil, token.LimitDateFrom, token.LimitDateTo, token.Query, token.AllowedCidrs,
        token.EulaPending, token.FallbackAfterExpiry);

    private static void Describe(DownloadEvent record, Accessor accessor)
    {
        record.TokenId = accessor.Token?.Id;
        record.CustomerId = accessor.Token?.CustomerId;
        record.UserId = accessor.UserId;
    }

    internal static string ETagOf(string sha256) => $"\"{sha256}\"";
}
