using System.Net;
using EntitlementPortal.Data;
using EntitlementPortal.Features.Customers;
using EntitlementPortal.Features.Packages;
using EntitlementPortal.Features.Packages.Query;
using EntitlementPortal.Features.Tokens;
using Microsoft.AspNetCore.Http.Headers;
using Microsoft.EntityFrameworkCore;

namespace EntitlementPortal.Features.Downloads;

/// <summary>
/// Decides every download: credentials (DownloadAccess), the token's rules (TokenAccessRules, a pure
/// function) and the exact counting (UsageLedger, in the database). The endpoint only translates the outcome.
/// </summary>
internal sealed class DownloadService(
    IDbContextFactory<AppDbContext> dbFactory,
    DownloadAccess access,
    UsageLedger ledger,
    TimeProvider clock)
{
    public async Task<DownloadOutcome> DecideAsync(
        DownloadTarget target, DownloadCredentials? credentials, bool publicRoute, HttpRequest request, DownloadEvent record,
        CancellationToken cancellationToken)
    {
        var client = request.HttpContext.Connection.RemoteIpAddress ?? IPAddress.None;
        var (repository, accessor, refusal) = await access.ResolveAsync(target.Repo, credentials, publicRoute, client, cancellationToken);
        if (refusal is not null)
        {
            return new DownloadOutcome(null, refusal);
        }
        Describe(record, accessor!);

        var file = await FindFileAsync(repository!.Id, target, cancellationToken);
        var headers = request.GetTypedHeaders();
        var notModified = file is not null && MatchesETag(headers, file.Value.File.Sha256);
        var (isRange, rangeBytes, unsatisfiable) = file is null ? (false, 0L, false) : RangeOf(headers, file.Value.File.Size);
        var isHead = HttpMethods.IsHead(request.Method);

        if (accessor!.Token is not { } token)
        {
            return file is null ? NotFound() : DownloadOutcome.Serve(Serve(file.Value, null, 0));
        }

        var fileKey = UsageLedger.FileKey(target.Repo, target.Package, target.Version, target.Filename);
        var usage = file is null ? new UsageSnapshot(false, false) : await ledger.ReadAsync(token.Id, client.ToString(), fileKey, cancellationToken);
        var facts = new TokenFacts(
            token.IsActive, token.IsDeleted, token.Customer?.Status == CustomerStatus.Revoked, accessor.PresentedPreviousSecret,
            token.PreviousSecretValidUntil, token.LimitDateFrom, token.LimitDateTo, token.LimitDownloads, token.LimitClients,
            token.LimitBandwidthBytes, accessor.Query, CidrList.FromStored(token.AllowedCidrs), token.Downloads, token.Clients,
            token.BandwidthBytes);
        var requestFacts = new DownloadRequestFacts(
            client,
            new PackageFacts(target.Package, target.Version, target.Filename, file?.Tags ?? [], file?.Format ?? PackageRules.RawFormat),
            // A missing file, an unsatisfiable range or a HEAD is not a download: none of them may count or be limited.
            IsHead: isHead || file is null || unsatisfiable,
            IsNotModified: notModified,
            IsRange: isRange,
            BytesToSend: file is null ? 0 : isRange ? rangeBytes : file.Value.File.Size,
            ClientAlreadyKnown: usage.ClientKnown,
            FileAlreadyCountedForClient: usage.FileCounted);

        var decision = TokenAccessRules.Evaluate(facts, requestFacts, clock.GetUtcNow().UtcDateTime);
        if (decision.Refusal is { } refused)
        {
            return DownloadOutcome.Refuse(refused.Status, refused.Code, refused.Detail, challenge: refused.Status == 401 && record.AuthMethod != AuthMethod.TokenInPath);
        }
        if (file is null)
        {
            return NotFound();
        }
        if (decision.CountsAsDownload || decision.BytesCounted > 0)
        {
            // The rules saw a snapshot; the ledger re-checks every limit atomically and may still refuse.
            if (await ledger.TryRecordAsync(token.Id, client.ToString(), fileKey, decision, usage, cancellationToken) is { } lost)
            {
                return DownloadOutcome.Refuse(lost.Status, lost.Code, lost.Detail);
            }
        }
        return DownloadOutcome.Serve(Serve(file.Value, token.Id, decision.BytesCounted));
    }

    /// <summary>The files the caller may download from the repository, already filtered by the token's package query.</summary>
    public async Task<(IReadOnlyList<(FileRow Row, string Package, string Version)> Files, DownloadRefusal? Refusal)> ListAsync(
        string repo, DownloadCredentials? credentials, HttpRequest request, DownloadEvent record, CancellationToken cancellationToken)
    {
        var client = request.HttpContext.Connection.RemoteIpAddress ?? IPAddress.None;
        var (repository, accessor, refusal) = await access.ResolveAsync(repo, credentials, publicRoute: false, client, cancellationToken);
        if (refusal is not null)
        {
            return ([], refusal);
        }
        Describe(record, accessor!);
        if (accessor!.Token is { } token)
        {
            // The index obeys the token's state and scope, but reading it is not a download and is never limited.
            var facts = new TokenFacts(token.IsActive, token.IsDeleted, token.Customer?.Status == CustomerStatus.Revoked,
                accessor.PresentedPreviousSecret, token.PreviousSecretValidUntil, token.LimitDateFrom, token.LimitDateTo,
                null, null, null, null, CidrList.FromStored(token.AllowedCidrs), 0, 0, 0);
            var probe = new DownloadRequestFacts(client, new PackageFacts("", "", null, [], PackageRules.RawFormat), true, false, false, 0, true, true);
            if (TokenAccessRules.Evaluate(facts, probe, clock.GetUtcNow().UtcDateTime).Refusal is { } refused)
            {
                return ([], new DownloadRefusal(refused.Status, refused.Code, refused.Detail));
            }
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rows = await db.Set<PackageFile>().AsNoTracking()
            .Where(f => f.Package!.RepositoryId == repository!.Id)
            .Select(f => new { f.Package!.Name, f.Package.Version, f.Package.Tags, f.Package.Format, File = new FileRow(f.Filename, f.Size, f.Sha256, f.ContentType, f.UploadedAt) })
            .ToListAsync(cancellationToken);
        var query = accessor.Query;
        var visible = rows
            .Where(r => query is null || query.Matches(new PackageFacts(r.Name, r.Version, r.File.Filename, SplitTags(r.Tags), r.Format)))
            .OrderBy(r => r.Name, StringComparer.Ordinal)
            .ThenByDescending(r => PackageVersion.Parse(r.Version))
            .ThenBy(r => r.File.Filename, StringComparer.Ordinal)
            .Select(r => (r.File, r.Name, r.Version))
            .ToList();
        return (visible, null);
    }

    internal sealed record FileRow(string Filename, long Size, string Sha256, string ContentType, DateTime UploadedAt);

    private readonly record struct FoundFile(FileRow File, IReadOnlyCollection<string> Tags, string Format);

    private async Task<FoundFile?> FindFileAsync(int repositoryId, DownloadTarget target, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var row = await db.Set<PackageFile>().AsNoTracking()
            .Where(f => f.Filename == target.Filename && f.Package!.RepositoryId == repositoryId
                && f.Package.Name == target.Package && f.Package.Version == target.Version)
            .Select(f => new { File = new FileRow(f.Filename, f.Size, f.Sha256, f.ContentType, f.UploadedAt), f.Package!.Tags, f.Package.Format })
            .FirstOrDefaultAsync(cancellationToken);
        return row is null ? null : new FoundFile(row.File, SplitTags(row.Tags), row.Format);
    }

    private static IReadOnlyCollection<string> SplitTags(string tags) => tags.Split(',', StringSplitOptions.RemoveEmptyEntries);

    private static ServedFile Serve(FoundFile file, int? tokenId, long counted) =>
        new(file.File.Sha256, file.File.Size, file.File.ContentType, file.File.Filename, file.File.UploadedAt, tokenId, counted);

    private static DownloadOutcome NotFound() => DownloadOutcome.Refuse(404, "not_found", "Not found.");

    private static void Describe(DownloadEvent record, Accessor accessor)
    {
        record.TokenId = accessor.Token?.Id;
        record.CustomerId = accessor.Token?.CustomerId;
        record.UserId = accessor.User?.Id;
    }

    internal static string ETagOf(string sha256) => $"\"{sha256}\"";

    private static bool MatchesETag(RequestHeaders headers, string sha256)
    {
        var etag = ETagOf(sha256);
        return headers.IfNoneMatch.Any(candidate => candidate.Tag == "*" || candidate.Tag.ToString() == etag);
    }

    /// <summary>A single satisfiable byte range and its length; several ranges are served whole (as the framework does).</summary>
    private static (bool IsRange, long Bytes, bool Unsatisfiable) RangeOf(RequestHeaders headers, long size)
    {
        var range = headers.Range;
        if (range is null || range.Ranges.Count != 1 || !string.Equals(range.Unit.ToString(), "bytes", StringComparison.OrdinalIgnoreCase))
        {
            return (false, 0, false);
        }
        var item = range.Ranges.Single();
        long from, to;
        if (item.From is { } start)
        {
            from = start;
            to = Math.Min(item.To ?? size - 1, size - 1);
        }
        else if (item.To is { } suffix && suffix > 0)
        {
            from = Math.Max(0, size - suffix);
            to = size - 1;
        }
        else
        {
            return (true, 0, true);
        }
        return from >= size || from > to ? (true, 0, true) : (true, to - from + 1, false);
    }
}
