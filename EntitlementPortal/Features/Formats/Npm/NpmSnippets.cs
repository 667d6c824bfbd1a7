using System.Text;

namespace EntitlementPortal.Features.Formats.Npm;

/// <summary>
/// The .npmrc and install lines a customer pastes. Scoped packages get a scope registry (<c>@scope:registry=</c>), so
/// public dependencies still come from npmjs.org; unscoped ones need <c>registry=</c>, which sends every package to the
/// portal (it is not a proxy). npm accepts plain http registries as they are.
/// </summary>
internal static class NpmSnippets
{
    public static IReadOnlyList<ClientSnippet> For(SnippetContext context)
    {
        var names = context.PackageNames.Count > 0 ? context.PackageNames : ["PACKAGE"];
        var scopes = names.Where(n => n.StartsWith('@') && n.Contains('/')).Select(n => n[..n.IndexOf('/')]).Distinct(StringComparer.Ordinal).ToList();
        var unscoped = names.Any(n => !n.StartsWith('@'));

        var basic = new Uri(context.BasicBase + "/npm/");
        var auth = context.Token is null
            ? "BASE64_OF_token:" + SnippetContext.TokenPlaceholder
            : Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Downloads.DownloadCredentials.TokenUserName}:{context.Token}"));
        var basicText = new StringBuilder()
            .Append(Registries(basic.AbsoluteUri, scopes, unscoped))
            .Append(context.Token is null ? "# _auth is base64 of \"token:YOUR_TOKEN\": printf 'token:%s' \"$TOKEN\" | base64\n" : "")
            .Append("//").Append(basic.Authority).Append(basic.AbsolutePath).Append(":_auth=").Append(auth).Append('\n')
            .ToString();

        return
        [
            new ClientSnippet("npm: .npmrc (token in the registry URL)", Registries(context.TokenBase + "/npm/", scopes, unscoped), ".npmrc"),
            new ClientSnippet("npm: .npmrc (HTTP Basic; keeps the token out of package-lock.json)", basicText, ".npmrc"),
            new ClientSnippet("npm: install", string.Join('\n', names.Select(n => $"npm install {n}")) + "\n"),
        ];
    }

    private static string Registries(string registry, IReadOnlyList<string> scopes, bool unscoped)
    {
        var text = new StringBuilder();
        foreach (var scope in scopes)
        {
            text.Append(scope).Append(":registry=").Append(registry).Append('\n');
        }
        if (unscoped)
        {
            // The portal has no audit service; with registry= npm would ask it after every install.
            text.Append("registry=").Append(registry).Append('\n').Append("audit=false\n");
        }
        return text.ToString();
    }
}
