using EntitlementPortal.Identity;

namespace EntitlementPortal.Features.ApiKeys;

/// <summary>
/// A personal key for the management API. Only a SHA-256 digest of the secret is stored: the secret has
/// 256 random bits, so a fast digest is safe here (unlike passwords) and a database dump reveals no key.
/// </summary>
public sealed class ApiKey
{
    public int Id { get; set; }
    public required string UserId { get; set; }
    public ApplicationUser? User { get; set; }
    public required string Name { get; set; }

    /// <summary>The first characters of the secret, shown so a person can tell their keys apart.</summary>
    public required string Prefix { get; set; }

    public required string SecretHash { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? LastUsedAt { get; set; }
    public DateTime? RevokedAt { get; set; }
}
