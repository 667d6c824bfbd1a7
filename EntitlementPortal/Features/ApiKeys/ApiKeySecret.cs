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

    public static string PrefixOf(string secret) => secret.Length <= PrefixLength ? secret : secret[..PrefixLength];

    public static bool IsPlausible(string? secret) =>
        secret is { Length: >= MinimumLength and <= 512 } && !secret.Any(char.IsWhiteSpace);
}
