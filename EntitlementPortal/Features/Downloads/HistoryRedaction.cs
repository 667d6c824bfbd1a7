using System.Text.RegularExpressions;
using EntitlementPortal.Features.Repositories;
using EntitlementPortal.Features.Tokens;

namespace EntitlementPortal.Features.Downloads;

/// <summary>
/// What of a request may be kept in the download history, which roles without secret access read. The segment
/// in the token's position is never stored. Anything shaped like a generated token is masked wherever it appears,
/// and so is the secret the request presented (a token, or a Basic password) wherever a script echoed it; a
/// "repository" that could not be a slug (perhaps a secret put in the wrong place) is masked too.
/// </summary>
public sealed partial class HistoryRedaction
{
    public const string MaskedSegment = "••••••••";

    private readonly string? presented;

    /// <param name="presentedSecret">The token or password of the request, if any; shorter ones than a custom
    /// token can be are not searched for, so that a stray short value never blanks out ordinary names.</param>
    public HistoryRedaction(string? presentedSecret)
    {
        presented = presentedSecret is { Length: >= TokenSecret.CustomMinLength } ? presentedSecret : null;
    }

    /// <summary>Free text (a package, file name, user agent) with every secret in it masked.</summary>
    public string? Text(string? text)
    {
        if (text is null)
        {
            return null;
        }
        if (presented is not null && text.Contains(presented, StringComparison.Ordinal))
        {
            text = text.Replace(presented, MaskedSegment, StringComparison.Ordinal);
        }
        return text.Contains(TokenSecret.Prefix, StringComparison.OrdinalIgnoreCase)
            ? TokenShaped().Replace(text, TokenSecret.Prefix + MaskedSegment)
            : text;
    }

    /// <summary>The repository as stored: the slug when it could be one, otherwise a mask.</summary>
    public string Repo(string? segment) =>
        string.IsNullOrEmpty(segment) ? ""
        : segment.Length <= RepositoryRules.SlugMaxLength && RepositoryRules.SlugPattern().IsMatch(segment) && segment != presented
            ? segment
            : MaskedSegment;

    /// <summary>
    /// For a path under /dl that matched no route: the segment in the token's position (the first one, unless it
    /// is <c>public</c> or <c>basic</c>), to be treated as a presented secret, and the segments after it.
    /// </summary>
    public static (string? TokenPosition, string? Repo, string? Package, string? Version, string? Filename) Unmatched(string? rest)
    {
        var segments = (rest ?? "").Split('/', StringSplitOptions.RemoveEmptyEntries);
        var first = segments.FirstOrDefault();
        var tokenPosition = first is null || TokenSecret.ReservedWords.Contains(first) ? null : first;
        string? At(int index) => index + 1 < segments.Length ? segments[index + 1] : null;
        return (tokenPosition, At(0), At(1), At(2), At(3));
    }

    // ent_ + about the 30 characters of random part and checksum, standing alone: a token with a typo is masked too,
    // while names such as "agent_linux" or "ent_tools" are left as they are.
    [GeneratedRegex("(?<![A-Za-z0-9])ent_[A-Za-z0-9]{24,40}(?![A-Za-z0-9])", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex TokenShaped();
}
