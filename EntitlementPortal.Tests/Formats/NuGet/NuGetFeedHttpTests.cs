using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using EntitlementPortal.Tests.Downloads;
using EntitlementPortal.Tests.Support;

namespace EntitlementPortal.Tests.Formats.NuGet;

/// <summary>
/// The NuGet feed over HTTP in both forms: what each route answers, that only the .nupkg counts, and that the token's
/// state, package query and limits hold on every route.
/// </summary>
public sealed class NuGetFeedHttpTests : DownloadTestBase
{
    private const string Id = "Acme.Greeter";
    private const string LowerId = "acme.greeter";

    private async Task<HttpResponseMessage> PushAsync(byte[] nupkg, string? key = ApiAppFactory.AdminApiKey)
    {
        using var client = App.CreateApiClient(apiKey: null);
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(nupkg);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(file, "package", "package.nupkg");
        var request = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/repos/{Repo}/nuget/package") { Content = form };
        if (key is not null)
        {
            request.Headers.Add("X-NuGet-ApiKey", key);
        }
        return await client.SendAsync(request, Ct);
    }

    private async Task PublishAsync(string version = "1.2.0") =>
        Assert.Equal(HttpStatusCode.Created, (await PushAsync(NuGetTestPackages.Nupkg(Id, version))).StatusCode);

    private static string Feed(string token) => $"/dl/{token}/{Repo}/nuget/v3";

    [Fact]
    public async Task The_publish_index_answers_without_a_key_and_push_needs_one_and_refuses_a_duplicate_with_409()
    {
        var index = await (await Anonymous.GetAsync($"/api/v1/repos/{Repo}/nuget/v3/index.json", Ct)).ReadJsonAsync(HttpStatusCode.OK);
        var push = Assert.Single(index.GetProperty("resources").EnumerateArray());
        Assert.Equal("PackagePublish/2.0.0", push.GetProperty("@type").GetString());
        Assert.EndsWith($"/api/v1/repos/{Repo}/nuget/package", push.GetProperty("@id").GetString(), StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.Unauthorized, (await PushAsync(NuGetTestPackages.Nupkg(Id, "1.2.0"), key: null)).StatusCode);
        await PublishAsync();
        var duplicate = await PushAsync(NuGetTestPackages.Nupkg("ACME.GREETER", "1.2"));
        Assert.Equal(HttpStatusCode.Conflict, duplicate.StatusCode);
        var invalid = await PushAsync("not a zip"u8.ToArray());
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.Contains("not a zip", invalid.ReasonPhrase, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_route_answers_in_the_form_it_was_asked_and_only_the_nupkg_counts()
    {
        await PublishAsync();
        var (id, token) = await CreateTokenAsync(new { name = "Globex" });

        foreach (var (root, auth) in new (string, Action<HttpRequestMessage>?)[] { (Feed(token), null), ($"/dl/basic/{Repo}/nuget/v3", Basic("token", token)) })
        {
            var index = await (await GetAsync($"{root}/index.json", auth)).ReadJsonAsync(HttpStatusCode.OK);
            var types = index.GetProperty("resources").EnumerateArray().ToDictionary(r => r.GetProperty("@type").GetString()!, r => r.GetProperty("@id").GetString()!);
            Assert.EndsWith($"{root}/flatcontainer/", types["PackageBaseAddress/3.0.0"], StringComparison.Ordinal);
            Assert.StartsWith("http://", types["RegistrationsBaseUrl/3.6.0"], StringComparison.Ordinal);
            Assert.True(types.ContainsKey("SearchQueryService/3.5.0"));

            var versions = await (await GetAsync($"{root}/flatcontainer/{Id}/index.json", auth)).ReadJsonAsync(HttpStatusCode.OK);
            Assert.Equal(["1.2.0"], versions.GetProperty("versions").EnumerateArray().Select(v => v.GetString()));
            var nuspec = await GetAsync($"{root}/flatcontainer/{LowerId}/1.2.0/{LowerId}.nuspec", auth);
            Assert.Equal(HttpStatusCode.OK, nuspec.StatusCode);
            Assert.Contains("<id>Acme.Greeter</id>", await nuspec.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
            var registration = await (await GetAsync($"{root}/registration/{LowerId}/index.json", auth)).ReadJsonAsync(HttpStatusCode.OK);
            Assert.Contains("1.2.0", registration.GetRawText(), StringComparison.Ordinal);
            var search = await (await GetAsync($"{root}/query?q=greeter", auth)).ReadJsonAsync(HttpStatusCode.OK);
            Assert.Equal(1, search.GetProperty("totalHits").GetInt32());

            var nupkg = await GetAsync($"{root}/flatcontainer/{LowerId}/1.2.0/{LowerId}.1.2.0.nupkg", auth);
            Assert.Equal(HttpStatusCode.OK, nupkg.StatusCode);
        }

        Assert.Equal(2, (await TokenAsync(id)).GetProperty("downloads").GetInt64());
    }

    [Fact]
    public async Task The_package_query_hides_the_package_from_every_route()
    {
        await PublishAsync();
        var (_, token) = await CreateTokenAsync(new { name = "Raw only", limitPackageQuery = "format:raw" });
        var root = Feed(token);

        await (await GetAsync($"{root}/index.json")).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync($"{root}/flatcontainer/{LowerId}/index.json")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync($"{root}/flatcontainer/{LowerId}/1.2.0/{LowerId}.nuspec")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync($"{root}/registration/{LowerId}/index.json")).StatusCode);
        Assert.Equal(0, (await (await GetAsync($"{root}/query?q=")).ReadJsonAsync(HttpStatusCode.OK)).GetProperty("totalHits").GetInt32());
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync($"{root}/flatcontainer/{LowerId}/1.2.0/{LowerId}.1.2.0.nupkg")).StatusCode);
    }

    [Fact]
    public async Task A_used_up_limit_refuses_the_nupkg_but_not_the_feed_and_disabled_or_unknown_tokens_are_refused_everywhere()
    {
        await PublishAsync();
        var (_, once) = await CreateTokenAsync(new { name = "Once", limitDownloads = 1 });
        var (disabledId, disabled) = await CreateTokenAsync(new { name = "Disabled" });
        (await Api.PostAsync($"/api/v1/repos/{Repo}/entitlements/{disabledId}/disable", null, Ct)).EnsureSuccessStatusCode();
        var nupkgPath = $"/flatcontainer/{LowerId}/1.2.0/{LowerId}.1.2.0.nupkg";

        Assert.Equal(HttpStatusCode.OK, (await GetAsync(Feed(once) + nupkgPath)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await GetAsync(Feed(once) + nupkgPath)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync($"{Feed(once)}/flatcontainer/{LowerId}/index.json")).StatusCode);

        foreach (var route in new[] { "/index.json", $"/flatcontainer/{LowerId}/index.json", $"/registration/{LowerId}/index.json", "/query", nupkgPath })
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await GetAsync(Feed(disabled) + route)).StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync(Feed("ent_unknown_token_value") + route)).StatusCode);
        }
    }

    [Fact]
    public async Task The_basic_form_without_credentials_gets_a_basic_challenge_and_is_not_a_failed_attempt()
    {
        await PublishAsync();
        var (_, token) = await CreateTokenAsync(new { name = "Globex" });

        for (var i = 0; i < 40; i++)
        {
            var challenged = await GetAsync($"/dl/basic/{Repo}/nuget/v3/index.json");
            Assert.Equal(HttpStatusCode.Unauthorized, challenged.StatusCode);
            Assert.Contains("Basic", challenged.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        }

        // More than the failed-attempt limit of 30 a minute went by: the client is not locked out.
        var index = await GetAsync($"/dl/basic/{Repo}/nuget/v3/index.json", Basic("token", token));
        Assert.Equal(HttpStatusCode.OK, index.StatusCode);
        Assert.Equal(JsonValueKind.Object, (await index.ReadJsonAsync(HttpStatusCode.OK)).ValueKind);
    }
}
