using EntitlementPortal.Cli.Terminal;

namespace EntitlementPortal.Cli.Configuration;

/// <summary><c>EP_URL</c> and <c>EP_API_KEY</c> win over the stored login, each on its own (CI sets only the key).</summary>
public sealed class ConnectionResolver(IConsoleEnvironment environment, ConfigFile config)
{
    public const string UrlVariable = "EP_URL";
    public const string ApiKeyVariable = "EP_API_KEY";

    public PortalConnection Resolve()
    {
        var stored = config.Read();
        var url = Present(environment.GetVariable(UrlVariable)) ?? stored?.Url;
        var key = Present(environment.GetVariable(ApiKeyVariable)) ?? stored?.ApiKey;
        if (url is null || key is null)
        {
            throw new UsageException(
                $"Not logged in: run 'ep login --url URL --api-key KEY', or set {UrlVariable} and {ApiKeyVariable}.");
        }
        return new PortalConnection(PortalUrl.Parse(url, UrlVariable), key);
    }

    private static string? Present(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}

public static class PortalUrl
{
    /// <summary>An absolute http(s) URL, without a trailing slash.</summary>
    public static string Parse(string value, string source)
    {
        if (!Uri.TryCreate(value.Trim(), UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new UsageException($"{source}: '{value}' is not a portal URL; expected e.g. https://portal.example.com.");
        }
        return uri.GetLeftPart(UriPartial.Path).TrimEnd('/');
    }
}
