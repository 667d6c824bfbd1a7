using System.Text;
using Microsoft.Net.Http.Headers;

namespace EntitlementPortal.Features.Downloads;

/// <summary>What a download request presents: a token (in the path or as Basic password) or a user's password.</summary>
public sealed record DownloadCredentials(AuthMethod Method, string? Token, string? UserName, string? Password)
{
    public const string TokenUserName = "token";

    public static DownloadCredentials None { get; } = new(AuthMethod.None, null, null, null);

    public static DownloadCredentials FromPath(string token) => new(AuthMethod.TokenInPath, token, null, null);

    /// <summary>
    /// Reads <c>Authorization: Basic</c>. User "token" means the password is an entitlement token; any other
    /// user name is a portal account. Null when the header is missing or unreadable.
    /// </summary>
    public static DownloadCredentials? FromBasicHeader(string? authorization)
    {
        const string scheme = "Basic ";
        if (authorization is null || !authorization.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        string decoded;
        try
        {
            decoded = Encoding.UTF8.GetString(Convert.FromBase64String(authorization[scheme.Length..].Trim()));
        }
        catch (FormatException)
        {
            return null;
        }
        var colon = decoded.IndexOf(':');
        if (colon <= 0)
        {
            return null;
        }
        var user = decoded[..colon];
        var password = decoded[(colon + 1)..];
        return string.Equals(user, TokenUserName, StringComparison.Ordinal)
            ? new DownloadCredentials(AuthMethod.TokenBasic, password, null, null)
            : new DownloadCredentials(AuthMethod.UserBasic, null, user, password);
    }

    public static string Challenge => $"Basic realm=\"EntitlementPortal\", charset=\"UTF-8\"";

    internal static string HeaderName => HeaderNames.Authorization;
}
