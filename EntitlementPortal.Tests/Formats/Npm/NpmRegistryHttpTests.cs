using System.Net;
using System.Security.Cryptography;
using EntitlementPortal.Tests.Support;
using static EntitlementPortal.Tests.Formats.Npm.NpmTestPackages;

namespace EntitlementPortal.Tests.Formats.Npm;

/// <summary>The npm routes over real HTTP, in both download forms, with the token rules of the raw routes.</summary>
public sealed class NpmRegistryHttpTests(NpmRegistryApp app) : IClassFixture<NpmRegistryApp>
{
    private const string Repo = NpmRegistryApp.Repo;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string Escaped(string name) => name.Replace("/", "%2f");

    [Theory]
    [InlineData("http-plain")]
    [InlineData("@http/scoped")]
    public async Task The_packument_lists_versions_with_tarballs_in_the_requests_own_form_and_is_never_counted(string name)
    {
        var tarball = Package(name, "1.0.0");
        await app.PublishOkAsync(name, "1.0.0", tarball);
        await app.PublishOkAsync(name, "2.0.0-rc.1", Package(name, "2.0.0-rc.1"), "next");
        var (id, token) = await app.CreateTokenAsync(new { name = "t" });

        var viaToken = await NpmRegistryApp.JsonAsync(await app.GetAsync($"/dl/{token}/{Repo}/npm/{Escaped(name)}"), HttpStatusCode.OK);
        var viaBasic = await NpmRegistryApp.JsonAsync(await app.GetAsync($"/dl/basic/{Repo}/npm/{Escaped(name)}", NpmRegistryApp.Basic(token)), HttpStatusCode.OK);

        Assert.Equal(name, viaToken.GetProperty("name").GetString());
        Assert.Equal("1.0.0", viaToken.GetProperty("dist-tags").GetProperty("latest").GetString());
        Assert.Equal("2.0.0-rc.1", viaToken.GetProperty("dist-tags").GetProperty("next").GetString());
        var dist = viaToken.GetProperty("versions").GetProperty("1.0.0").GetProperty("dist");
        Assert.Equal(Integrity(tarball), dist.GetProperty("integrity").GetString());
        Assert.Equal(Convert.ToHexStringLower(SHA1.HashData(tarball)), dist.GetProperty("shasum").GetString());
        var bare = name.Split('/')[^1];
        var root = app.Anonymous.BaseAddress!.GetLeftPart(UriPartial.Authority);
        Assert.Equal($"{root}/dl/{token}/{Repo}/npm/{name}/-/{bare}-1.0.0.tgz", dist.GetProperty("tarball").GetString());
        var basicTarball = viaBasic.GetProperty("versions").GetProperty("1.0.0").GetProperty("dist").GetProperty("tarball").GetString()!;
        Assert.Equal($"{root}/dl/basic/{Repo}/npm/{name}/-/{bare}-1.0.0.tgz", basicTarball);

        // The tarball URLs work as given, and serve exactly the published bytes: a counted download each.
        Assert.Equal(tarball, await (await app.GetAsync(dist.GetProperty("tarball").GetString()!)).Content.ReadAsByteArrayAsync(Ct));
        Assert.Equal(tarball, await (await app.GetAsync(basicTarball, NpmRegistryApp.Basic(token))).Content.ReadAsByteArrayAsync(Ct));
        Assert.Equal(2, await app.DownloadsOfAsync(id));
    }

    [Fact]
    public async Task A_scoped_name_is_found_encoded_in_either_case_and_with_a_plain_slash_and_the_abbreviated_form_is_served()
    {
        await app.PublishOkAsync("@case/widget", "1.0.0");
        var (_, token) = await app.CreateTokenAsync(new { name = "t" });

        foreach (var path in (string[])["@case%2fwidget", "@case%2Fwidget", "@case/widget"])
        {
            Assert.Equal(HttpStatusCode.OK, (await app.GetAsync($"/dl/{token}/{Repo}/npm/{path}")).StatusCode);
        }
        var abbreviated = await app.GetAsync($"/dl/{token}/{Repo}/npm/@case%2fwidget", r =>
            r.Headers.Accept.ParseAdd("application/vnd.npm.install-v1+json; q=1.0, application/json; q=0.8, */*"));
        Assert.Equal("application/vnd.npm.install-v1+json", abbreviated.Content.Headers.ContentType!.MediaType);
        var document = await NpmRegistryApp.JsonAsync(abbreviated, HttpStatusCode.OK);
        Assert.True(document.TryGetProperty("modified", out _));
        Assert.Equal("1.0.0", document.GetProperty("dist-tags").GetProperty("latest").GetString());
    }

    [Fact]
    public async Task A_package_query_hides_the_package_from_the_packument_and_the_tarball_and_dist_tags_of_hidden_versions()
    {
        await app.PublishOkAsync("query-hidden", "1.0.0");
        await app.PublishOkAsync("query-shown", "1.0.0");
        await app.PublishOkAsync("query-shown", "2.0.0");
        var (id, token) = await app.CreateTokenAsync(new { name = "scoped", limitPackageQuery = "name:query-shown AND version:<2" });

        var hidden = await NpmRegistryApp.JsonAsync(await app.GetAsync($"/dl/{token}/{Repo}/npm/query-hidden"), HttpStatusCode.NotFound);
        Assert.Equal("Not found", hidden.GetProperty("error").GetString());
        var refused = await NpmRegistryApp.JsonAsync(await app.GetAsync($"/dl/{token}/{Repo}/npm/query-hidden/-/query-hidden-1.0.0.tgz"), HttpStatusCode.NotFound);
        Assert.False(string.IsNullOrEmpty(refused.GetProperty("error").GetString()));
        Assert.Equal(HttpStatusCode.NotFound, (await app.GetAsync($"/dl/basic/{Repo}/npm/query-hidden", NpmRegistryApp.Basic(token))).StatusCode);

        var shown = await NpmRegistryApp.JsonAsync(await app.GetAsync($"/dl/{token}/{Repo}/npm/query-shown"), HttpStatusCode.OK);
        Assert.Equal(["1.0.0"], shown.GetProperty("versions").EnumerateObject().Select(v => v.Name));
        // latest was 2.0.0, which this token can't see.
        Assert.Equal("1.0.0", shown.GetProperty("dist-tags").GetProperty("latest").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await app.GetAsync($"/dl/{token}/{Repo}/npm/query-shown/-/query-shown-2.0.0.tgz")).StatusCode);
        Assert.Equal(0, await app.DownloadsOfAsync(id));
    }

    [Fact]
    public async Task Disabled_and_unknown_tokens_are_refused_on_every_route_with_json_errors()
    {
        await app.PublishOkAsync("refused-pkg", "1.0.0");
        var (id, token) = await app.CreateTokenAsync(new { name = "off" });
        (await app.Api.PostAsync($"/api/v1/repos/{Repo}/entitlements/{id}/disable", null, Ct)).EnsureSuccessStatusCode();

        foreach (var path in (string[])["refused-pkg", "refused-pkg/-/refused-pkg-1.0.0.tgz"])
        {
            var disabled = await NpmRegistryApp.JsonAsync(await app.GetAsync($"/dl/{token}/{Repo}/npm/{path}"), HttpStatusCode.Forbidden);
            Assert.False(string.IsNullOrEmpty(disabled.GetProperty("error").GetString()));
            Assert.Equal(HttpStatusCode.Forbidden, (await app.GetAsync($"/dl/basic/{Repo}/npm/{path}", NpmRegistryApp.Basic(token))).StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await app.GetAsync($"/dl/ent_notarealtokenatall0000000000/{Repo}/npm/{path}")).StatusCode);
        }
        Assert.Equal(0, await app.DownloadsOfAsync(id));
    }

    [Fact]
    public async Task A_used_up_limit_refuses_the_tarball_but_still_serves_the_packument_which_never_counts()
    {
        await app.PublishOkAsync("limited-pkg", "1.0.0");
        var (id, token) = await app.CreateTokenAsync(new { name = "one", limitDownloads = 1 });
        var tarball = $"/dl/{token}/{Repo}/npm/limited-pkg/-/limited-pkg-1.0.0.tgz";

        Assert.Equal(HttpStatusCode.OK, (await app.GetAsync($"/dl/{token}/{Repo}/npm/limited-pkg")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await app.GetAsync(tarball)).StatusCode);
        var limited = await NpmRegistryApp.JsonAsync(await app.GetAsync(tarball), HttpStatusCode.Forbidden);
        Assert.Contains("limit", limited.GetProperty("error").GetString()!, StringComparison.OrdinalIgnoreCase);

        Assert.Equal(HttpStatusCode.OK, (await app.GetAsync($"/dl/{token}/{Repo}/npm/limited-pkg")).StatusCode);
        Assert.Equal(1, await app.DownloadsOfAsync(id));
    }

    [Fact]
    public async Task The_basic_form_without_credentials_gets_a_basic_challenge_and_is_no_failed_attempt()
    {
        await app.PublishOkAsync("challenge-pkg", "1.0.0");
        var (_, token) = await app.CreateTokenAsync(new { name = "t" });

        // More unauthenticated requests than the failed-attempt allowance (30 a minute): none turns into 429.
        for (var i = 0; i < 35; i++)
        {
            var path = i % 2 == 0 ? "challenge-pkg" : "challenge-pkg/-/challenge-pkg-1.0.0.tgz";
            var response = await app.GetAsync($"/dl/basic/{Repo}/npm/{path}");
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.StartsWith("Basic", response.Headers.WwwAuthenticate.ToString());
        }
        Assert.Equal(HttpStatusCode.OK, (await app.GetAsync($"/dl/basic/{Repo}/npm/challenge-pkg/-/challenge-pkg-1.0.0.tgz", NpmRegistryApp.Basic(token))).StatusCode);
    }

    [Fact]
    public async Task Unknown_packages_versions_and_file_names_are_404()
    {
        await app.PublishOkAsync("known-pkg", "1.0.0");
        var (_, token) = await app.CreateTokenAsync(new { name = "t" });

        foreach (var path in (string[])["nothing-here", "known-pkg/-/known-pkg-9.9.9.tgz", "known-pkg/-/other-1.0.0.tgz", "known-pkg/-/known-pkg-1.0.0.zip", "@nope/known-pkg"])
        {
            Assert.Equal(HttpStatusCode.NotFound, (await app.GetAsync($"/dl/{token}/{Repo}/npm/{path}")).StatusCode);
        }
    }

    [Fact]
    public async Task Publishing_refuses_mismatches_bad_names_and_bodies_with_npm_style_errors_and_stores_nothing()
    {
        async Task<string> RefusedAsync(HttpStatusCode status, string urlName, string body, string? key = ApiAppFactory.AdminApiKey)
        {
            var response = await app.PublishAsync(urlName, body, key);
            var text = await response.Content.ReadAsStringAsync(Ct);
            Assert.True(response.StatusCode == status, $"Expected {status}, got {response.StatusCode}: {text}");
            return text;
        }

        var good = Package("pub-good", "1.0.0");
        Assert.Contains("URL names", await RefusedAsync(HttpStatusCode.BadRequest, "pub-other", PublishBody("pub-good", "1.0.0", good)));
        Assert.Contains("names it", await RefusedAsync(HttpStatusCode.BadRequest, "pub-liar", PublishBody("pub-liar", "1.0.0", good)));
        Assert.Contains("version", await RefusedAsync(HttpStatusCode.BadRequest, "pub-good", PublishBody("pub-good", "1.0.1", good)));
        Assert.Contains("not a valid npm name", await RefusedAsync(HttpStatusCode.BadRequest, "Pub-Upper", PublishBody("Pub-Upper", "1.0.0", Package("Pub-Upper", "1.0.0"))));
        Assert.Contains("not valid JSON", await RefusedAsync(HttpStatusCode.BadRequest, "pub-good", "{\"name\":"));
        Assert.Contains("_attachments", await RefusedAsync(HttpStatusCode.BadRequest, "pub-good", PublishBody("pub-good", "1.0.0", good).Replace("_attachments", "_elsewhere")));
        Assert.Contains("not an npm tarball", await RefusedAsync(HttpStatusCode.BadRequest, "pub-good", PublishBody("pub-good", "1.0.0", [1, 2, 3])));
        var tampered = PublishBody("pub-good", "1.0.0", good).Replace(Integrity(good), Integrity([1]));
        Assert.Contains("dist.integrity", await RefusedAsync(HttpStatusCode.BadRequest, "pub-good", tampered));
        await RefusedAsync(HttpStatusCode.Unauthorized, "pub-good", PublishBody("pub-good", "1.0.0", good), key: null);

        var (_, token) = await app.CreateTokenAsync(new { name = "t" });
        Assert.Equal(HttpStatusCode.NotFound, (await app.GetAsync($"/dl/{token}/{Repo}/npm/pub-good")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await app.GetAsync($"/dl/{token}/{Repo}/npm/pub-liar")).StatusCode);
    }

    [Fact]
    public async Task Publishing_a_version_again_is_403_as_npm_expects_and_keeps_the_first_tarball()
    {
        var first = Package("pub-twice", "1.0.0", x: 1);
        await app.PublishOkAsync("pub-twice", "1.0.0", first);

        var again = await app.PublishAsync("pub-twice", PublishBody("pub-twice", "1.0.0", Package("pub-twice", "1.0.0", x: 2)));

        var error = await NpmRegistryApp.JsonAsync(again, HttpStatusCode.Forbidden);
        Assert.Contains("cannot publish over the previously published versions", error.GetProperty("error").GetString());
        var (_, token) = await app.CreateTokenAsync(new { name = "t" });
        Assert.Equal(first, await (await app.GetAsync($"/dl/{token}/{Repo}/npm/pub-twice/-/pub-twice-1.0.0.tgz")).Content.ReadAsByteArrayAsync(Ct));
    }

    [Fact]
    public async Task Publishing_needs_write_on_the_repository()
    {
        var readerKey = await app.App.CreateUserWithKeyAsync("npm-reader@example.com");

        var response = await app.PublishAsync("pub-reader", PublishBody("pub-reader", "1.0.0", Package("pub-reader", "1.0.0")), readerKey);

        Assert.True(response.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.NotFound, response.StatusCode.ToString());
        Assert.False(string.IsNullOrEmpty((await NpmRegistryApp.JsonAsync(response, response.StatusCode)).GetProperty("error").GetString()));
    }
}
