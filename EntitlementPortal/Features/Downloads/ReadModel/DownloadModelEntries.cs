using EntitlementPortal.Features.Packages.Query;
using EntitlementPortal.Features.Repositories;
using EntitlementPortal.Features.Tokens;

namespace EntitlementPortal.Features.Downloads.ReadModel;

/// <summary>What a download reads of a repository.</summary>
internal sealed record DownloadRepository(int Id, string Slug, RepositoryVisibility Visibility, bool UserTokensEnabled);

/// <summary>
/// What a download reads of a token, with its restrictions already parsed, and its customer's standing. It carries
/// no usage counters and no count limits on purpose: the counters move with every download, and the ledger reads
/// both in the transaction that decides (UsageBatch), so a cached copy could only be stale.
/// </summary>
internal sealed record DownloadToken(
    int Id,
    int? CustomerId,
    string? UserId,
    TokenKind Kind,
    string SecretDigest,
    DateTime? PreviousSecretValidUntil,
    bool IsActive,
    bool IsDeleted,
    bool CustomerRevoked,
    DateTime? LimitDateFrom,
    DateTime? LimitDateTo,
    PackageQuery? Query,
    IReadOnlyList<string> AllowedCidrs,
    bool EulaPending,
    bool FallbackAfterExpiry);

/// <summary>A package file as a download serves it, with its package's tags and format for the token's query.</summary>
internal sealed record DownloadFile(DownloadService.FileRow File, IReadOnlyCollection<string> Tags, string Format, DateTime VersionCreatedAt);

internal readonly record struct TokenKey(int RepositoryId, string Digest);

internal readonly record struct FileKey(int RepositoryId, string Package, string Version, string Filename);
