using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace EntitlementPortal.Features.Tokens;

/// <summary>
/// The string a customer's machine presents. Generated secrets look like <c>ent_</c> + 24 random base62
/// characters (142 bits from the OS CSPRNG) + a 6-character CRC-32 checksum, so a secret scanner or a
/// support person can tell a real token from a typo without asking the database. Custom secrets are chosen
/// by the vendor (e.g. to reuse one string across repositories) and carry no checksum.
/// </summary>
public static partial class TokenSecret
{
    public const string Prefix = "ent_";
    public const int RandomLength = 24;
    public const int ChecksumLength = 6;
    public const int GeneratedLength = 4 + RandomLength + ChecksumLength;
    public const int CustomMinLength = 8;
    public const int CustomMaxLength = 48;

    /// <summary>Words that stand in the token's place in download routes (/dl/public/…, /dl/basic/…).</summary>
    public static readonly string[] ReservedWords = ["public", "basic"];

    private const string Base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    public static string Generate()
    {
        Span<char> random = stackalloc char[RandomLength];
        for (var i = 0; i < random.Length; i++)
        {
            // GetInt32 rejects and redraws instead of taking a modulo, so every character is uniform.
            random[i] = Base62[RandomNumberGenerator.GetInt32(Base62.Length)];
        }
        var body = Prefix + new string(random);
        return body + Checksum(body);
    }

    /// <summary>True when the text has the generated shape and its checksum matches: offline, no database.</summary>
    public static bool IsGenerated(string? candidate)
    {
        if (candidate is null || candidate.Length != GeneratedLength || !candidate.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }
        foreach (var c in candidate.AsSpan(Prefix.Length))
        {
            if (!IsBase62(c))
            {
                return false;
            }
        }
        var body = candidate[..^ChecksumLength];
        return CryptographicOperations.FixedTimeEquals(
            Encoding.ASCII.GetBytes(Checksum(body)), Encoding.ASCII.GetBytes(candidate[^ChecksumLength..]));
    }

    /// <summary>Null when <paramref name="secret"/> is acceptable as a custom secret; otherwise why not.</summary>
    public static string? CustomSecretProblem(string? secret)
    {
        if (string.IsNullOrEmpty(secret))
        {
            return "The token is empty.";
        }
        if (secret.Length is < CustomMinLength or > CustomMaxLength)
        {
            return $"A custom token must be {CustomMinLength} to {CustomMaxLength} characters long.";
        }
        if (!CustomPattern().IsMatch(secret))
        {
            return "A custom token may contain only letters, digits, '-', '.' and '_', and must start with a letter or digit.";
        }
        if (ReservedWords.Any(word => string.Equals(word, secret, StringComparison.OrdinalIgnoreCase)))
        {
            return $"'{secret}' is reserved by the download routes.";
        }
        if (secret.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
        {
            // The prefix promises a checksum; a hand-made string with it would fool scanners and support.
            return $"Custom tokens must not start with '{Prefix}': that prefix marks generated tokens.";
        }
        return null;
    }

    /// <summary>Whether the text could be any token at all (generated or custom): cheap filter before a look-up.</summary>
    public static bool IsPlausible(string? candidate) =>
        candidate is not null && (IsGenerated(candidate) || CustomSecretProblem(candidate) is null);

    /// <summary>Comparison whose time does not depend on where the strings differ.</summary>
    public static bool FixedTimeEquals(string? left, string? right)
    {
        if (left is null || right is null)
        {
            return false;
        }
        return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(left), Encoding.UTF8.GetBytes(right));
    }

    /// <summary>
    /// A masked form for lists, the audit log and people who may not see secrets. A generated secret shows its
    /// prefix and checksum (no random characters); a custom one shows nothing of itself, because a short
    /// hand-chosen string would be half given away by its ends.
    /// </summary>
    public static string Mask(string secret) =>
        IsGenerated(secret) ? Prefix + new string('•', 8) + secret[^ChecksumLength..] : "custom " + new string('•', 8);

    private static string Checksum(string body)
    {
        var crc = Crc32(Encoding.ASCII.GetBytes(body));
        Span<char> text = stackalloc char[ChecksumLength];
        for (var i = ChecksumLength - 1; i >= 0; i--)
        {
            text[i] = Base62[(int)(crc % 62)];
            crc /= 62;
        }
        return new string(text);
    }

    private static bool IsBase62(char c) => c is >= '0' and <= '9' or >= 'A' and <= 'Z' or >= 'a' and <= 'z';

    private static uint Crc32(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var bit = 0; bit < 8; bit++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
            }
        }
        return ~crc;
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]*$")]
    private static partial Regex CustomPattern();
}
