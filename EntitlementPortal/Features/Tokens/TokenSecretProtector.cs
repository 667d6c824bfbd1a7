using System.Security.Cryptography;
using System.Text;
using EntitlementPortal.Security;
using Microsoft.AspNetCore.DataProtection;

namespace EntitlementPortal.Features.Tokens;

/// <summary>
/// How a token secret is stored: a keyed digest (HMAC-SHA-256 under a key derived from the master key) that
/// downloads look up by, and a Data Protection ciphertext so authorised people can still reveal and copy it.
/// Neither reveals the secret from a database dump alone.
/// </summary>
public sealed class TokenSecretProtector
{
    private const string LookupPurpose = "EntitlementPortal.TokenLookup.v1";
    private const string EncryptionPurpose = "EntitlementPortal.TokenSecret.v1";

    private readonly byte[] lookupKey;
    private readonly IDataProtector protector;

    public TokenSecretProtector(MasterKey masterKey, IDataProtectionProvider dataProtection)
    {
        lookupKey = masterKey.Derive(LookupPurpose);
        protector = dataProtection.CreateProtector(EncryptionPurpose);
    }

    /// <summary>64 lowercase hex characters; the same secret always gives the same digest (that is the look-up).</summary>
    public string Digest(string secret) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(lookupKey, Encoding.UTF8.GetBytes(secret)));

    public string Protect(string secret) => protector.Protect(secret);

    /// <summary>The secret back from its stored ciphertext; throws CryptographicException if the key ring lacks its key.</summary>
    public string Reveal(string protectedSecret) => protector.Unprotect(protectedSecret);
}
