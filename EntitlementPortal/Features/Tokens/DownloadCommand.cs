namespace EntitlementPortal.Features.Tokens;

/// <summary>
/// Copy-ready download commands for one file, in the forms http-contract.md fixes: the token in the path for a URL a
/// customer pastes into a browser or a tool, HTTP Basic (user <c>token</c>) for curl and wget so the secret stays out
/// of URLs and proxy logs. Path segments are escaped as the JSON index escapes them.
/// </summary>
public static class DownloadCommand
{
    /// <summary>Where nobody may see the secret, the commands name it so: the customer replaces it with theirs.</summary>
    public const string TokenPlaceholder = "<token>";

    // The secret goes in as it is: its format keeps it to URL-safe characters, and a placeholder must stay readable.
    public static string Url(string siteRoot, string token, string repo, DownloadableFile file) =>
        $"{Root(siteRoot)}dl/{token}/{Path(repo, file)}";

    public static string BasicUrl(string siteRoot, string repo, DownloadableFile file) =>
        $"{Root(siteRoot)}dl/basic/{Path(repo, file)}";

    // --fail-with-body: a refusal exits non-zero like -f, but keeps the problem detail the portal sends (in the -o
    // file: "download limit reached", "customer revoked"), which plain -f throws away.
    public static string Curl(string siteRoot, string token, string repo, DownloadableFile file) =>
        $"curl --fail-with-body -L -u {Shell("token:" + token)} -o {Shell(file.Filename)} {Shell(BasicUrl(siteRoot, repo, file))}";

    // --auth-no-challenge: send the credentials at once instead of after a 401 that lands in the download history.
    public static string Wget(string siteRoot, string token, string repo, DownloadableFile file) =>
        $"wget --auth-no-challenge --user=token --password={Shell(token)} -O {Shell(file.Filename)} {Shell(BasicUrl(siteRoot, repo, file))}";

    /// <summary>A public repository serves without credentials (the <c>/dl/public/</c> route).</summary>
    public static string PublicUrl(string siteRoot, string repo, DownloadableFile file) =>
        $"{Root(siteRoot)}dl/public/{Path(repo, file)}";

    public static string PublicCurl(string siteRoot, string repo, DownloadableFile file) =>
        $"curl --fail-with-body -L -o {Shell(file.Filename)} {Shell(PublicUrl(siteRoot, repo, file))}";

    public static string PublicWget(string siteRoot, string repo, DownloadableFile file) =>
        $"wget -O {Shell(file.Filename)} {Shell(PublicUrl(siteRoot, repo, file))}";

    /// <summary>Bare when only characters every shell reads literally; otherwise single-quoted (which the placeholder's &lt; &gt; need too).</summary>
    public static string Shell(string value) =>
        value.Length > 0 && value.All(IsLiteral) ? value : "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    private static string Path(string repo, DownloadableFile file) =>
        $"{Uri.EscapeDataString(repo)}/{Uri.EscapeDataString(file.Package)}/{Uri.EscapeDataString(file.Version)}/{Uri.EscapeDataString(file.Filename)}";

    private static string Root(string siteRoot) => siteRoot.EndsWith('/') ? siteRoot : siteRoot + "/";

    private static bool IsLiteral(char c) => char.IsAsciiLetterOrDigit(c) || "._/:@%+=,-".Contains(c, StringComparison.Ordinal);
}
