using System.Net;
using System.Text.RegularExpressions;

namespace EntitlementPortal.Tests.Support;

/// <summary>Signs in through the real login form over HTTP (antiforgery included), keeping the cookie.</summary>
public static partial class AccountSession
{
    public static HttpClient CreateClient(PortalAppFactory factory) => factory.CreatePortalClient();

    /// <summary>Loads <paramref name="path"/>, takes its hidden fields (antiforgery, form name) and posts.</summary>
    public static async Task<HttpResponseMessage> SubmitFormAsync(
        HttpClient client, string path, IDictionary<string, string> fields, string? action = null)
    {
        var page = await client.GetStringAsync(path);
        var form = new Dictionary<string, string>(HiddenInputs(page));
        foreach (var (key, value) in fields)
        {
            form[key] = value;
        }
        return await client.PostAsync(action ?? path, new FormUrlEncodedContent(form));
    }

    public static Task<HttpResponseMessage> SignInAsync(HttpClient client, string email, string password) =>
        SubmitFormAsync(client, "/Account/Login", new Dictionary<string, string>
        {
            ["Input.Email"] = email,
            ["Input.Password"] = password,
        });

    public static Task<HttpResponseMessage> RegisterAsync(HttpClient client, string email, string password) =>
        SubmitFormAsync(client, "/Account/Register", new Dictionary<string, string>
        {
            ["Input.Email"] = email,
            ["Input.Password"] = password,
            ["Input.ConfirmPassword"] = password,
        });

    private static IEnumerable<KeyValuePair<string, string>> HiddenInputs(string html)
    {
        foreach (Match match in HiddenInputPattern().Matches(html))
        {
            yield return new(WebUtility.HtmlDecode(match.Groups["name"].Value), WebUtility.HtmlDecode(match.Groups["value"].Value));
        }
    }

    [GeneratedRegex("""<input[^>]*type="hidden"[^>]*name="(?<name>[^"]+)"[^>]*value="(?<value>[^"]*)"[^>]*>""")]
    private static partial Regex HiddenInputPattern();
}
