using System.Net;
using System.Text.RegularExpressions;
using EntitlementPortal.Tests.Support;

namespace EntitlementPortal.Tests.Hosting;

/// <summary>The headers every answer carries, over real HTTP: pages, API, downloads, static files, errors, 404s.</summary>
public sealed partial class SecurityHeadersTests(ApiAppFactory app) : IClassFixture<ApiAppFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static readonly TheoryData<string, string, bool, int> Responses = new()
    {
        { "GET", "/", false, 302 },
        { "GET", "/Account/Login", false, 200 },
        { "GET", "/Error", false, 200 },
        { "POST", "/Account/Logout", false, 400 },
        { "GET", "/api/v1/repos", true, 200 },
        { "GET", "/api/v1/repos", false, 401 },
        { "GET", "/api/v1/no-such-route", true, 404 },
        { "DELETE", "/api/v1/repos", true, 405 },
        { "GET", "/api/v1/repos?page=99999999999999", true, 400 },
        { "GET", "/healthz", false, 200 },
        { "GET", "/healthz/live", false, 200 },
        { "GET", "/healthz/ready", false, 200 },
        { "GET", "/openapi/v1.json", false, 200 },
        { "GET", "/api-reference/", false, 200 },
        { "GET", "/api-reference/scalar.js", false, 200 },
        { "GET", "/app.css", false, 200 },
        { "GET", "/_framework/blazor.web.js", false, 200 },
        { "HEAD", "/favicon.png", false, 200 },
        { "GET", "/dl/no-such-route", false, 404 },
        { "GET", "/dl/basic/acme/acme-agent/1.0/a.tar.gz", false, 401 },
    };

    private async Task<HttpResponseMessage> SendAsync(string method, string path, bool withKey, Action<HttpRequestMessage>? configure = null)
    {
        var client = app.CreateApiClient(withKey ? ApiAppFactory.AdminApiKey : null);
        var request = new HttpRequestMessage(new HttpMethod(method), path);
        configure?.Invoke(request);
        return await client.SendAsync(request, Ct);
    }

    private static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(", ", values) : "";

    private static void AssertCarriesTheHeaders(HttpResponseMessage response)
    {
        Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
        // Under /dl the URL itself may be the credential: not even this origin gets it as a Referer.
        var dl = response.RequestMessage!.RequestUri!.AbsolutePath.StartsWith("/dl/", StringComparison.Ordinal);
        Assert.Equal(dl ? "no-referrer" : "same-origin", Header(response, "Referrer-Policy"));
        Assert.Equal("DENY", Header(response, "X-Frame-Options"));
        Assert.Contains("frame-ancestors 'none'", Header(response, "Content-Security-Policy"));
    }

    [Theory]
    [MemberData(nameof(Responses))]
    public async Task Every_response_carries_nosniff_and_referrer_policy(string method, string path, bool withKey, int status)
    {
        var response = await SendAsync(method, path, withKey);

        Assert.Equal(status, (int)response.StatusCode);
        AssertCarriesTheHeaders(response);
    }

    [Fact]
    public async Task A_not_found_page_carries_them_too()
    {
        // Re-executed to /not-found after the response was reset: the headers are set as it starts, not before.
        var client = app.CreatePortalClient();
        await AccountSession.SignInAsync(client, ApiAppFactory.AdminEmail, ApiAppFactory.AdminPassword);

        var response = await client.GetAsync("/no-such-page", Ct);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("Not found", await response.Content.ReadAsStringAsync(Ct));
        AssertCarriesTheHeaders(response);
    }

    [Fact]
    public async Task A_not_modified_static_file_carries_them_too()
    {
        var first = await SendAsync("GET", "/app.css", withKey: false);
        var etag = first.Headers.ETag!;

        var response = await SendAsync("GET", "/app.css", withKey: false, r => r.Headers.IfNoneMatch.Add(etag));

        Assert.Equal(HttpStatusCode.NotModified, response.StatusCode);
        AssertCarriesTheHeaders(response);
    }

    [Fact]
    public async Task Portal_pages_allow_scripts_from_this_site_and_the_import_map_by_a_fresh_nonce()
    {
        var first = await SendAsync("GET", "/Account/Login", withKey: false);
        var second = await SendAsync("GET", "/Account/Login", withKey: false);

        var policy = Header(first, "Content-Security-Policy");
        var nonce = NonceIn(policy);
        Assert.Matches(@"(^|; )script-src 'self' 'nonce-[A-Za-z0-9_-]{22}'(;|$)", policy);
        Assert.Contains("object-src 'none'", policy);
        Assert.Contains("base-uri 'self'", policy);
        Assert.Contains($"<script type=\"importmap\" nonce=\"{nonce}\">", await first.Content.ReadAsStringAsync(Ct));
        Assert.NotEqual(nonce, NonceIn(Header(second, "Content-Security-Policy")));
    }

    [Fact]
    public async Task Api_answers_name_no_nonce()
    {
        var response = await SendAsync("GET", "/api/v1/repos", withKey: true);

        Assert.Contains("script-src 'self';", Header(response, "Content-Security-Policy"));
        Assert.DoesNotContain("nonce-", Header(response, "Content-Security-Policy"));
    }

    [Fact]
    public async Task Api_reference_runs_its_scripts_by_the_nonce_of_its_own_csp()
    {
        var response = await SendAsync("GET", "/api-reference/", withKey: false);

        var policy = Header(response, "Content-Security-Policy");
        var nonce = NonceIn(policy);
        var html = await response.Content.ReadAsStringAsync(Ct);
        var scripts = ScriptTag().Matches(html);
        Assert.NotEmpty(scripts);
        Assert.All(scripts, script => Assert.Contains($"nonce=\"{nonce}\"", script.Value));
        Assert.Contains("worker-src 'self' blob:", policy);
        Assert.DoesNotContain("unsafe-eval", policy);
        Assert.DoesNotContain("script-src 'self' 'unsafe-inline'", policy);
    }

    [Theory]
    [InlineData("/api-reference/scalar.js")]
    [InlineData("/api-reference/scalar.aspnetcore.js")]
    public async Task Api_reference_scripts_load_without_signing_in(string path)
    {
        var response = await SendAsync("GET", path, withKey: false);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/javascript", response.Content.Headers.ContentType?.MediaType);
    }

    private static string NonceIn(string policy) => NoncePattern().Match(policy) is { Success: true } match
        ? match.Groups["nonce"].Value
        : throw new Xunit.Sdk.XunitException($"No nonce in '{policy}'");

    [GeneratedRegex("'nonce-(?<nonce>[^']+)'")]
    private static partial Regex NoncePattern();

    [GeneratedRegex("<script[^>]*>")]
    private static partial Regex ScriptTag();
}
