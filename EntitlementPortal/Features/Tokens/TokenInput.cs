using System.Text.Json;
using System.Text.Json.Serialization;
using EntitlementPortal.Features.Shared;

namespace EntitlementPortal.Features.Tokens;

/// <summary>What a person or the API sends to create or change a standard token (the form binds to it too).</summary>
public sealed class TokenInput
{
    public string Name { get; set; } = "";

    /// <summary>A custom secret; empty on create means "generate one". On change, a new value replaces the secret.</summary>
    public string? Token { get; set; }

    public int? CustomerId { get; set; }
    public bool IsActive { get; set; } = true;
    public DateTime? LimitDateFrom { get; set; }
    public DateTime? LimitDateTo { get; set; }
    public long? LimitDownloads { get; set; }
    public int? LimitClients { get; set; }
    public long? LimitBandwidthBytes { get; set; }
    public string? LimitPackageQuery { get; set; }
    public List<string> AllowedCidrs { get; set; } = [];
    public ResetPeriod ResetPeriod { get; set; } = ResetPeriod.Never;

    /// <summary>Downloads wait until the repository's EULA is accepted for this token.</summary>
    public bool EulaRequired { get; set; }

    public AfterExpiry AfterExpiry { get; set; } = AfterExpiry.Refuse;

    [JsonIgnore]
    public string? MetadataJson { get; set; }

    /// <summary>A trimmed copy with empty strings as null and dates in UTC, the form every rule and the row take.</summary>
    public TokenInput Normalized() => new()
    {
        Name = (Name ?? "").Trim(),
        Token = string.IsNullOrWhiteSpace(Token) ? null : Token.Trim(),
        CustomerId = CustomerId,
        IsActive = IsActive,
        LimitDateFrom = AsUtc(LimitDateFrom),
        LimitDateTo = AsUtc(LimitDateTo),
        LimitDownloads = LimitDownloads,
        LimitClients = LimitClients,
        LimitBandwidthBytes = LimitBandwidthBytes,
        LimitPackageQuery = string.IsNullOrWhiteSpace(LimitPackageQuery) ? null : LimitPackageQuery.Trim(),
        AllowedCidrs = AllowedCidrs is null ? [] : [.. AllowedCidrs],
        ResetPeriod = ResetPeriod,
        EulaRequired = EulaRequired,
        AfterExpiry = AfterExpiry,
        MetadataJson = string.IsNullOrWhiteSpace(MetadataJson) ? null : MetadataJson.Trim(),
    };

    private static DateTime? AsUtc(DateTime? value) => value is not { } v ? null
        : v.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(v, DateTimeKind.Utc) : v.ToUniversalTime();

    [JsonPropertyName("metadata")]
    public JsonElement? Metadata
    {
        get => JsonMetadata.ToElement(MetadataJson);
        set => MetadataJson = JsonMetadata.FromElement(value);
    }
}

/// <summary>A token as pages and the API show it. <see cref="Token"/> is the secret, only for those who may see it.</summary>
public sealed record TokenView(
    int Id,
    TokenKind Kind,
    string Repo,
    string Name,
    int? CustomerId,
    string? CustomerName,
    string? UserId,
    bool IsActive,
    bool IsDeleted,
    DateTime? LimitDateFrom,
    DateTime? LimitDateTo,
    long? LimitDownloads,
    int? LimitClients,
    long? LimitBandwidthBytes,
    string? LimitPackageQuery,
    IReadOnlyList<string> AllowedCidrs,
    ResetPeriod ResetPeriod,
    DateTime? NextResetAt,
    [property: JsonIgnore] string? MetadataJson,
    long Downloads,
    int Clients,
    long BandwidthBytes,
    DateTime? LastDownloadAt,
    string? LastClientIp,
    DateTime CreatedAt,
    string? CreatedBy,
    DateTime UpdatedAt,
    DateTime? RefreshedAt,
    string SecretHint,
    string? Token)
{
    public JsonElement? Metadata => JsonMetadata.ToElement(MetadataJson);

    public bool EulaRequired { get; init; }
    public DateTime? EulaAcceptedAt { get; init; }
    public string? EulaAcceptedFrom { get; init; }
    public AfterExpiry AfterExpiry { get; init; }

    public TokenInput ToInput() => new()
    {
        Name = Name,
        CustomerId = CustomerId,
        IsActive = IsActive,
        LimitDateFrom = LimitDateFrom,
        LimitDateTo = LimitDateTo,
        LimitDownloads = LimitDownloads,
        LimitClients = LimitClients,
        LimitBandwidthBytes = LimitBandwidthBytes,
        LimitPackageQuery = LimitPackageQuery,
        AllowedCidrs = [.. AllowedCidrs],
        ResetPeriod = ResetPeriod,
        EulaRequired = EulaRequired,
        AfterExpiry = AfterExpiry,
        MetadataJson = MetadataJson,
    };
}
