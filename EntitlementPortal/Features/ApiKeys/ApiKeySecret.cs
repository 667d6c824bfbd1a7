using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;

namespace EntitlementPortal.Features.ApiKeys;

/// <summary>Making and recognising API key secrets: <c>epk_</c> followed by 256 random bits, URL-safe.</summary>
public static class ApiKeySecret
{
    public const string Marker = "epk_";
    public const int PrefixLength = 12;

    /// <summary>Anything shorter cannot be one of ours or a bootstrap key, so it is refused before a look-up.</summary>
    public const int MinimumLength = 32;

    public static string Generate() => Marker + WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(32));

    public static string Hash(string secret) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    /// <summary>
    /// What may be shown of a key: epk_ and 8 random characters for generated keys; only 4 characters of a
    /// hand-chosen (bootstrap) key, whose entropy may be low enough that a longer prefix would weaken it.
    /// </summary>
    public static string PrefixOf(string secret) =>
        secret.StartsWith(Marker, StringComparison.Ordinal)
            ? secret[..Math.Min(PrefixLength, secret.Length)]
            : secret[..Math.Min(4, secret.Length)];

    public static bool IsPlausible(string? secret) =>
        secret is { Length: >= MinimumLength and <= 512 } && !secret.Any(char.IsWhiteSpace);
}
