namespace EntitlementPortal.Features.Formats.Python;

/// <summary>
/// The pip set-up a customer pastes. The basic form (token as the password of user "token") keeps the token out of
/// request paths that proxies log; the token form is one URL to copy. pip ignores a plain-HTTP index that is not
/// on loopback unless the host is trusted, so http:// portals get trusted-host.
/// </summary>
internal static class PythonSnippets
{
    public static IReadOnlyList<ClientSnippet> For(SnippetContext context)
    {
        var project = context.PackageNames.FirstOrDefault() ?? "PACKAGE";
        var tokenIndex = $"{context.TokenBase}/python/simple/";
        var basicIndex = BasicIndex(context);
        var trusted = context.IsPlainHttp ? $" --trusted-host {new Uri(context.BaseUrl).Host}" : "";
        var conf = $"[global]\nindex-url = {basicIndex}\n" + (context.IsPlainHttp ? $"trusted-host = {new Uri(context.BaseUrl).Host}\n" : "");
        return
        [
            new ClientSnippet("pip install", $"pip install --index-url {basicIndex}{trusted} {project}"),
            new ClientSnippet("pip install (token in the path)", $"pip install --index-url {tokenIndex}{trusted} {project}"),
            new ClientSnippet("pip.conf (Linux ~/.config/pip/pip.conf, macOS ~/Library/Application Support/pip/pip.conf, Windows %APPDATA%\\pip\\pip.ini)",
                conf, "pip.conf"),
        ];
    }

    /// <summary>The basic-form index URL with the credentials pip takes from it: https://token:TOKEN@host/dl/basic/REPO/python/simple/.</summary>
    public static string BasicIndex(SnippetContext context)
    {
        var uri = new Uri(context.BasicBase);
        return $"{uri.Scheme}://{Downloads.DownloadCredentials.TokenUserName}:{Uri.EscapeDataString(context.TokenOrPlaceholder)}@"
            + $"{uri.Authority}{uri.AbsolutePath}/python/simple/";
    }
}
