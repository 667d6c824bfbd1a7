using System.Text.Json;

namespace EntitlementPortal.Cli.Client.Models;

public sealed record TokenView(
    int Id, string Kind, string Repo, string Name, int? CustomerId, string? CustomerName, bool IsActive, bool IsDeleted,
    DateTime? LimitDateFrom, DateTime? LimitDateTo, long? LimitDownloads, int? LimitClients, long? LimitBandwidthBytes,
    string? LimitPackageQuery, IReadOnlyList<string>? AllowedCidrs, string ResetPeriod, DateTime? NextResetAt,
    JsonElement? Metadata, long Downloads, int Clients, long BandwidthBytes, DateTime? LastDownloadAt, string? LastClientIp,
    DateTime CreatedAt, string? CreatedBy, DateTime UpdatedAt, DateTime? RefreshedAt, string? Token,
    bool EulaRequired = false, DateTime? EulaAcceptedAt = null, string AfterExpiry = "refuse");

public sealed record TokenCreateRequest(
    string Name, string? Token, int? CustomerId, bool? IsActive,
    DateTime? LimitDateFrom, DateTime? LimitDateTo, long? LimitDownloads, int? LimitClients, long? LimitBandwidthBytes,
    string? LimitPackageQuery, IReadOnlyList<string>? AllowedCidrs, string? ResetPeriod, JsonElement? Metadata,
    bool? EulaRequired = null, string? AfterExpiry = null);

public sealed record TokenUpdateRequest(
    string? Name, int? CustomerId,
    DateTime? LimitDateFrom, DateTime? LimitDateTo, long? LimitDownloads, int? LimitClients, long? LimitBandwidthBytes,
    string? LimitPackageQuery, IReadOnlyList<string>? AllowedCidrs, string? ResetPeriod, JsonElement? Metadata,
    bool? EulaRequired = null, string? AfterExpiry = null);

public sealed record TokenRefreshRequest(int? GraceSeconds);

public sealed record TokenSyncRequest(string Source);

public sealed record TokenSyncResult(int Created, int Updated, int Deleted);

public sealed record TokenUsage(
    long Downloads, int Clients, long BandwidthBytes, DateTime? LastDownloadAt, string? LastClientIp,
    IReadOnlyList<DailyUsage> ByDay);

public sealed record DailyUsage(DateOnly Date, long Downloads, long Bytes);
