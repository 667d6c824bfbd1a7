using EntitlementPortal.Features.Customers;
using EntitlementPortal.Features.Repositories;
using EntitlementPortal.Identity;

namespace EntitlementPortal.Features.Tokens;

public enum TokenKind
{
    Standard,
    User,
}

public enum ResetPeriod
{
    Never,
    Daily,
    Weekly,
    Fortnightly,
    Monthly,
    Bimonthly,
    Quarterly,
    Semiannual,
    Annual,
}

/// <summary>
/// Read-only download access to one private repository. The secret itself is never stored: only its keyed
/// digest (for look-up) and a Data Protection ciphertext (to reveal it to authorised people).
/// </summary>
/// <summary>What a token does once <c>limitDateTo</c> has passed (http-contract.md: "afterExpiry").</summary>
public enum AfterExpiry
{
    /// <summary>Refuse every download with 403 expired.</summary>
    Refuse,

    /// <summary>
    /// Keep serving the versions created before <c>limitDateTo</c> (a perpetual licence for what was bought) and refuse
    /// newer ones with 403 expired.
    /// </summary>
    Fallback,
}

public sealed class EntitlementToken
{
    public int Id { get; set; }
    public int RepositoryId { get; set; }
    public Repository? Repository { get; set; }
    public int? CustomerId { get; set; }
    public Customer? Customer { get; set; }

    /// <summary>The owner of a user token; null for standard tokens.</summary>
    public string? UserId { get; set; }
    public ApplicationUser? User { get; set; }

    public TokenKind Kind { get; set; } = TokenKind.Standard;
    public required string Name { get; set; }

    public required string SecretDigest { get; set; }
    public required string SecretCiphertext { get; set; }
    public required string SecretHint { get; set; }
    public bool IsCustomSecret { get; set; }

    /// <summary>After a refresh with a grace window, the old secret keeps working until this time.</summary>
    public string? PreviousSecretDigest { get; set; }
    public DateTime? PreviousSecretValidUntil { get; set; }

    public bool IsActive { get; set; } = true;

    /// <summary>Disabled because its customer was revoked; reinstating the customer enables it again.</summary>
    public bool SuspendedWithCustomer { get; set; }

    public bool IsDeleted { get; set; }
    public DateTime? DeletedAt { get; set; }

    public DateTime? LimitDateFrom { get; set; }
    public DateTime? LimitDateTo { get; set; }
    public long? LimitDownloads { get; set; }
    public int? LimitClients { get; set; }
    public long? LimitBandwidthBytes { get; set; }
    public string? LimitPackageQuery { get; set; }
    public AfterExpiry AfterExpiry { get; set; } = AfterExpiry.Refuse;

    /// <summary>Downloads wait until someone accepts the repository's EULA for this token (on the download page).</summary>
    public bool EulaRequired { get; set; }

    /// <summary>When the EULA was accepted for this token; kept across refreshes of the secret.</summary>
    public DateTime? EulaAcceptedAt { get; set; }

    /// <summary>The client address the acceptance came from.</summary>
    public string? EulaAcceptedFrom { get; set; }

    /// <summary>Normalised CIDR blocks, one per line.</summary>
    public string? AllowedCidrs { get; set; }

    public ResetPeriod ResetPeriod { get; set; } = ResetPeriod.Never;
    public DateTime? NextResetAt { get; set; }
    public string? MetadataJson { get; set; }

    public long Downloads { get; set; }
    public int Clients { get; set; }
    public long BandwidthBytes { get; set; }
    public DateTime? LastDownloadAt { get; set; }
    public string? LastClientIp { get; set; }

    public DateTime CreatedAt { get; set; }
    public string? CreatedBy { get; set; }
    public DateTime UpdatedAt { get; set; }
    public DateTime? RefreshedAt { get; set; }
    public string? RefreshedBy { get; set; }
}
