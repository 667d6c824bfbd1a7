using System.Net;
using System.Text.Json;
using EntitlementPortal.Tests.Downloads;
using EntitlementPortal.Tests.Support;

namespace EntitlementPortal.Tests.CustomerPage;

/// <summary>
/// The index URL opened in a browser: the customer's download page, from the same decision as the JSON index
/// (same status, same files, never a download), while scripts keep getting JSON.
/// </summary>
public sealed class CustomerDownloadPageTests() : DownloadTestBase(new() { ["Portal:VendorName"] = "Acme Software Ltd" })
{
    private const string BrowserAccept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";

    private static Action<HttpRequestMessage> Accept(string accept) => request => request.Headers.TryAddWithoutValidation("Accept", accept);

    [Fact]
    public async Task A_browser_gets_the_page_with_files_hashes_usage_and_validity_and_opening_it_is_not_a_download()
    {
        var (id, token) = await CreateTokenAsync(new { name = "Acme", limitDownloads = 10, limitDateTo = "2030-06-30T00:00:00Z" });
        await GetAsync($"/dl/{token}/{FilePath}");

        var response = await GetAsync($"/dl/{token}/{Repo}/", Accept(BrowserAccept));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
        Assert.Contains("no-store", response.Headers.CacheControl!.ToString(), StringComparison.Ordinal);
        var html = await response.Content.ReadAsStringAsync(Ct);
        Assert.Contains("Acme Software Ltd", html, StringComparison.Ordinal);
        Assert.Contains(Filename, html, StringComparison.Ordinal);
        Assert.Contains(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Content)), html, StringComparison.Ordinal);
        Assert.Contains($"href=\"/dl/{token}/{FilePath}\"", html, StringComparison.Ordinal);
        Assert.Contains("1 of 10", html, StringComparison.Ordinal);
        Assert.Contains("Valid until 2030-06-30 00:00 UTC", html, StringComparison.Ordinal);
        Assert.Contains($"curl --fail-with-body -L -u token:{token}", html, StringComparison.Ordinal);
        // Nothing on the page comes from, or sends the token to, another origin; and it needs no script.
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("src=\"http", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("href=\"http", html, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(1, (await TokenAsync(id)).GetProperty("downloads").GetInt64());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("*/*")]
    [InlineData("application/json")]
    [InlineData("application/json, text/html")]
    [InlineData("text/html;q=0, application/json")]
    [InlineData("not a media type ,,;")]
    public async Task Scripts_keep_getting_the_json_index(string? accept)
    {
        var (_, token) = await CreateTokenAsync(new { name = "Acme" });

        var response = await GetAsync($"/dl/{token}/{Repo}/", accept is null ? null : Accept(accept));

        var index = await response.ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(JsonValueKind.Array, index.ValueKind);
        Assert.Equal(Filename, Assert.Single(index.EnumerateArray()).GetProperty("filename").GetString());
    }

    [Fact]
    public async Task The_package_query_hides_from_the_page_what_the_token_may_not_download()
    {
        await UploadAsync(Repo, "acme-secret-tool", "1.0.0", "secret-tool.zip", [1, 2, 3]);
        var (_, token) = await CreateTokenAsync(new { name = "Scoped", limitPackageQuery = "name:acme-agent" });

        var html = await (await GetAsync($"/dl/{token}/{Repo}/", Accept(BrowserAccept))).Content.ReadAsStringAsync(Ct);

        Assert.Contains(Filename, html, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-tool", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_disabled_token_gets_the_refusal_with_the_download_routes_status_and_detail_and_no_files()
    {
        var (id, token) = await CreateTokenAsync(new { name = "Acme", limitDownloads = 10 });
        (await Api.PostAsync($"/api/v1/repos/{Repo}/entitlements/{id}/disable", null, Ct)).EnsureSuccessStatusCode();
        var json = await (await GetAsync($"/dl/{token}/{Repo}/")).ReadJsonAsync(HttpStatusCode.Forbidden);

        var response = await GetAsync($"/dl/{token}/{Repo}/", Accept(BrowserAccept));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync(Ct);
        Assert.Contains(WebUtility.HtmlEncode(json.GetProperty("detail").GetString()!), html, StringComparison.Ordinal);
        Assert.Contains($"data-reason=\"{json.GetProperty("reason").GetString()}\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain(Filename, html, StringComparison.Ordinal);
        Assert.DoesNotContain("of 10", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_token_gets_401_and_a_page_that_names_nothing_about_the_repository()
    {
        (await Api.PatchJsonAsync($"/api/v1/repos/{Repo}", new { description = "Agent builds for Acme fleet" })).EnsureSuccessStatusCode();

        var response = await GetAsync($"/dl/ep_not_a_real_token/{Repo}/", Accept(BrowserAccept));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync(Ct);
        Assert.Contains("id=\"refusal\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Agent builds", html, StringComparison.Ordinal);
        Assert.DoesNotContain(Filename, html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_basic_form_challenges_a_browser_and_then_shows_the_page_with_basic_links()
    {
        var (_, token) = await CreateTokenAsync(new { name = "Acme" });

        var challenged = await GetAsync($"/dl/basic/{Repo}/", Accept(BrowserAccept));
        Assert.Equal(HttpStatusCode.Unauthorized, challenged.StatusCode);
        Assert.NotEmpty(challenged.Headers.WwwAuthenticate);

        var request = Accept(BrowserAccept) + Basic("token", token);
        var html = await (await GetAsync($"/dl/basic/{Repo}/", request)).Content.ReadAsStringAsync(Ct);
        Assert.Contains($"href=\"/dl/basic/{FilePath}\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain(token, html, StringComparison.Ordinal);
    }
}
