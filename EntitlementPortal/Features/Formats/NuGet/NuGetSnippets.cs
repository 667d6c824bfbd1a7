using System.Security;

namespace EntitlementPortal.Features.Formats.NuGet;

/// <summary>
/// nuget.config blocks and the install command a customer pastes. NuGet 6.8+ refuses plain-HTTP sources unless the
/// source says allowInsecureConnections="true", so an http:// portal gets it; https:// snippets stay without.
/// </summary>
public static class NuGetSnippets
{
    public static IReadOnlyList<ClientSnippet> For(SnippetContext context)
    {
        var key = SourceKey(context.Repo);
        var insecure = context.IsPlainHttp ? " allowInsecureConnections=\"true\"" : "";
        var tokenForm = $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="{key}" value="{Xml(context.TokenBase)}/nuget/v3/index.json"{insecure} />
              </packageSources>
            </configuration>
            """;
        var basicForm = $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="{key}" value="{Xml(context.BasicBase)}/nuget/v3/index.json"{insecure} />
              </packageSources>
              <packageSourceCredentials>
                <{key}>
                  <add key="Username" value="token" />
                  <add key="ClearTextPassword" value="{Xml(context.TokenOrPlaceholder)}" />
                  <add key="ValidAuthenticationTypes" value="basic" />
                </{key}>
              </packageSourceCredentials>
            </configuration>
            """;
        var packages = context.PackageNames.Count == 0 ? ["PACKAGE_ID"] : context.PackageNames;
        return
        [
            new ClientSnippet("nuget.config (token in the URL)", tokenForm, "nuget.config"),
            new ClientSnippet("nuget.config (token as password, URL without secret)", basicForm, "nuget.config"),
            new ClientSnippet("Install", string.Join('\n', packages.Select(p => $"dotnet add package {p}"))),
        ];
    }

    /// <summary>
    /// The source's key: packageSourceCredentials uses it as an XML element name, so it must start with a letter and
    /// hold only name characters (repository slugs may start with a digit).
    /// </summary>
    internal static string SourceKey(string repo) =>
        "portal-" + new string(repo.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '-').ToArray());

    private static string Xml(string text) => SecurityElement.Escape(text);
}
