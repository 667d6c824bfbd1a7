using System.Net;
using System.Net.Http.Json;
using EntitlementPortal.Identity;
using EntitlementPortal.Tests.Support;

namespace EntitlementPortal.Tests.Api;

public sealed class ApiAuthenticationTests(ApiAppFactory app) : IClassFixture<ApiAppFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Missing_key_is_401_problem_with_a_challenge()
    {
        var response = await app.CreateApiClient(apiKey: null).GetAsync("/api/v1/repos", Ct);

        await response.AssertProblemAsync(401);
        Assert.Contains("Bearer", response.Headers.WwwAuthenticate.ToString());
    }

    [Theory]
    [InlineData("wrong-key-but-long-enough-to-be-plausible-000")]
    [InlineData("short")]
    [InlineData("ent_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abc")]
    [InlineData("' OR 1=1 --                                 ")]
    public async Task Unknown_malformed_or_entitlement_token_values_are_401(string key)
    {
        var client = app.CreateApiClient(apiKey: null);
        client.DefaultRequestHeaders.TryAddWithoutValidation("X-Api-Key", key);

        var response = await client.GetAsync("/api/v1/repos", Ct);

        await response.AssertProblemAsync(401);
    }

    [Fact]
    public async Task Bearer_authorization_works_like_the_header()
    {
        var client = app.CreateApiClient(apiKey: null);
        client.DefaultRequestHeaders.Authorization = new("Bearer", ApiAppFactory.AdminApiKey);

        var response = await client.GetAsync("/api/v1/repos", Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Portal_cookie_alone_does_not_authenticate_the_api()
    {
        var browser = AccountSession.CreateClient(app);
        await AccountSession.SignInAsync(browser, ApiAppFactory.AdminEmail, ApiAppFactory.AdminPassword);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/", Ct)).StatusCode);

        var response = await browser.GetAsync("/api/v1/repos", Ct);

        await response.AssertProblemAsync(401);
    }

    [Fact]
    public async Task Authenticated_but_not_allowed_is_403_problem()
    {
        var key = await app.CreateUserWithKeyAsync("reader@example.com", Roles.AccountManager);
        var client = app.CreateApiClient(key);

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/customers", Ct)).StatusCode);
        var create = await client.PostAsJsonAsync("/api/v1/repos", new { slug = "nope", name = "Nope" }, Ct);

        await create.AssertProblemAsync(403);
        var stored = await app.CreateApiClient().GetAsync("/api/v1/repos/nope", Ct);
        Assert.Equal(HttpStatusCode.NotFound, stored.StatusCode);
    }

    [Fact]
    public async Task Token_manager_cannot_read_the_audit_log()
    {
        var key = await app.CreateUserWithKeyAsync("bot@example.com", Roles.TokenManager);

        var response = await app.CreateApiClient(key).GetAsync("/api/v1/audit", Ct);

        await response.AssertProblemAsync(403);
    }

    [Fact]
    public async Task Unknown_api_route_is_a_404_problem_not_a_page()
    {
        var response = await app.CreateApiClient().GetAsync("/api/v1/nothing-here", Ct);
        await response.AssertProblemAsync(404);
    }

    [Fact]
    public async Task Wrong_content_type_is_415_and_wrong_method_is_405_not_404()
    {
        var client = app.CreateApiClient();

        var text = await client.PostAsync("/api/v1/repos", new StringContent("slug=x", System.Text.Encoding.UTF8, "text/plain"), Ct);
        var put = await client.PutAsJsonAsync("/api/v1/repos/anything", new { name = "x" }, Ct);

        await text.AssertProblemAsync(415);
        await put.AssertProblemAsync(405);
        Assert.Contains("PATCH", put.Content.Headers.Allow);
    }

    [Fact]
    public async Task OpenApi_document_describes_every_route_and_the_key_scheme()
    {
        var client = app.CreateApiClient(apiKey: null);
        var document = await (await client.GetAsync("/openapi/v1.json", Ct)).ReadJsonAsync(HttpStatusCode.OK);

        var paths = document.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToArray();
        Assert.Contains("/api/v1/repos", paths);
        Assert.Contains("/api/v1/repos/{repo}", paths);
        Assert.Contains("/api/v1/customers/{id}/revoke", paths);
        Assert.Contains("/api/v1/customers/{id}/reinstate", paths);
        Assert.Contains("/api/v1/audit", paths);
        var scheme = document.GetProperty("components").GetProperty("securitySchemes").GetProperty("ApiKey");
        Assert.Equal("X-Api-Key", scheme.GetProperty("name").GetString());

        var reference = await client.GetAsync("/api-reference/", Ct);
        Assert.Equal(HttpStatusCode.OK, reference.StatusCode);
        var html = await reference.Content.ReadAsStringAsync(Ct);
        Assert.Contains("scalar", html);
        // The reference leads back to the portal and keeps the hosted extras (AI chat, telemetry) off.
        Assert.Contains("Back to the portal", html);
        Assert.Contains("\"telemetry\":false", html.Replace(" ", ""), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Every_operation_has_a_short_name_and_its_details_in_the_description()
    {
        var client = app.CreateApiClient(apiKey: null);
        var document = await (await client.GetAsync("/openapi/v1.json", Ct)).ReadJsonAsync(HttpStatusCode.OK);

        var operations = document.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject().Select(op => (Name: $"{op.Name.ToUpperInvariant()} {path.Name}", Operation: op.Value)))
            .ToList();
        Assert.NotEmpty(operations);
        // The reference's sidebar lists operations by summary: a sentence there is unreadable.
        var unnamed = operations.Where(o => !o.Operation.TryGetProperty("summary", out var summary)
            || summary.GetString() is not { Length: > 0 and <= 40 } text || text.Contains('(') || text.Contains(';'))
            .Select(o => $"{o.Name}: {(o.Operation.TryGetProperty("summary", out var s) ? s.GetString() : "no summary")}").ToList();
        Assert.Equal("", string.Join("\n", unnamed));
    }
}
