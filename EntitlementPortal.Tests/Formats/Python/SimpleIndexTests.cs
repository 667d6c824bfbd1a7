using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using EntitlementPortal.Features.Formats.Python;
using EntitlementPortal.Tests.Downloads;
using Microsoft.EntityFrameworkCore;

namespace EntitlementPortal.Tests.Formats.Python;

/// <summary>
/// The simple index and file routes over real HTTP, in both forms: documents, negotiation, redirects, the package
/// query, token states, limits and counting. Each test publishes projects of its own names into the shared app.
/// </summary>
public sealed class SimpleIndexTests(DownloadApp app) : IClassFixture<DownloadApp>
{
    private const string PipAccept = "application/vnd.pypi.simple.v1+json, application/vnd.pypi.simple.v1+html; q=0.1, text/html; q=0.01";
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>The two forms of one token: the path prefix and what the request carries.</summary>
    public static TheoryData<string> Forms => new() { "token", "basic" };

    private static (string Prefix, Action<HttpRequestMessage> Credentials) Form(string form, string token) => form == "token"
        ? ($"/dl/{token}/{DownloadApp.Repo}", _ => { })
        : ($"/dl/basic/{DownloadApp.Repo}", DownloadApp.Basic("token", token));

    private Task<HttpResponseMessage> GetAsync(string path, Action<HttpRequestMessage> credentials, string? accept = null) =>
        app.GetAsync(path, request =>
        {
            credentials(request);
            if (accept is not null)
            {
                request.Headers.TryAddWithoutValidation("Accept", accept);
            }
        });

    private async Task<(byte[] Wheel, byte[] Sdist)> PublishAsync(string name)
    {
        var wheel = PythonDistributions.Wheel(name, "1.0", "m");
        var sdist = PythonDistributions.Sdist(name, "1.0", "m");
        await PythonUpload.PublishAsync(app.Api, PythonDistributions.WheelFilename(name, "1.0"), wheel);
        await PythonUpload.PublishAsync(app.Api, $"{name}-1.0.tar.gz", sdist);
        await PythonUpload.PublishAsync(app.Api, PythonDistributions.WheelFilename(name, "2.0"), PythonDistributions.Wheel(name, "2.0", "m",
            PythonDistributions.Metadata(name, "2.0", requiresPython: null)));
        return (wheel, sdist);
    }

    private static string MetadataHash(string name) =>
        Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(PythonDistributions.Metadata(name, "1.0"))));

    private async Task<long> DownloadsAsync(int id) => (await app.TokenAsync(id)).GetProperty("downloads").GetInt64();

    [Theory]
    [MemberData(nameof(Forms))]
    public async Task The_project_list_is_pep_503_html_by_default_and_pep_691_json_when_accepted(string form)
    {
        await PublishAsync($"List_{form}");
        var (_, token) = await app.CreateTokenAsync(new { name = "t" });
        var (prefix, credentials) = Form(form, token);

        var html = await GetAsync($"{prefix}/python/simple/", credentials);
        var json = await GetAsync($"{prefix}/python/simple/", credentials, PipAccept);

        Assert.Equal(HttpStatusCode.OK, html.StatusCode);
        Assert.Equal("text/html", html.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Accept", html.Headers.Vary);
        var page = await html.Content.ReadAsStringAsync(Ct);
        Assert.Contains($"<a href=\"list-{form}/\">list-{form}</a>", page, StringComparison.Ordinal);
        Assert.Contains("<meta name=\"pypi:repository-version\" content=\"1.0\">", page, StringComparison.Ordinal);
        // The raw package of the repository is not a Python project.
        Assert.DoesNotContain(DownloadApp.Package, page, StringComparison.Ordinal);

        Assert.Equal("application/vnd.pypi.simple.v1+json", json.Content.Headers.ContentType?.MediaType);
        var document = JsonDocument.Parse(await json.Content.ReadAsStringAsync(Ct)).RootElement;
        Assert.Equal("1.0", document.GetProperty("meta").GetProperty("api-version").GetString());
        Assert.Contains($"list-{form}", document.GetProperty("projects").EnumerateArray().Select(p => p.GetProperty("name").GetString()));
    }

    [Theory]
    [MemberData(nameof(Forms))]
    public async Task The_project_page_links_each_file_relatively_with_its_sha256_and_requires_python(string form)
    {
        var (wheel, sdist) = await PublishAsync($"Page_{form}");
        var (id, token) = await app.CreateTokenAsync(new { name = "t" });
        var (prefix, credentials) = Form(form, token);
        var project = $"page-{form}";
        var pageUrl = $"{prefix}/python/simple/{project}/";

        var html = await (await GetAsync(pageUrl, credentials, "text/html")).Content.ReadAsStringAsync(Ct);
        var wheelHash = Convert.ToHexStringLower(SHA256.HashData(wheel));
        Assert.Contains($"<a href=\"../../files/{project}/1.0/Page_{form}-1.0-py3-none-any.whl#sha256={wheelHash}\" data-requires-python=\"&gt;=3.8\" data-dist-info-metadata="
            + $"\"sha256={MetadataHash($"Page_{form}")}\" data-core-metadata=\"sha256={MetadataHash($"Page_{form}")}\">Page_{form}-1.0-py3-none-any.whl</a>",
            html, StringComparison.Ordinal);
        Assert.Contains($"Page_{form}-1.0.tar.gz#sha256={Convert.ToHexStringLower(SHA256.HashData(sdist))}", html, StringComparison.Ordinal);
        Assert.Contains($"Page_{form}-2.0-py3-none-any.whl#sha256=", html, StringComparison.Ordinal);

        var json = await GetAsync(pageUrl, credentials, PipAccept);
        Assert.Equal("application/vnd.pypi.simple.v1+json", json.Content.Headers.ContentType?.MediaType);
        var document = JsonDocument.Parse(await json.Content.ReadAsStringAsync(Ct)).RootElement;
        Assert.Equal("1.0", document.GetProperty("meta").GetProperty("api-version").GetString());
        Assert.Equal(project, document.GetProperty("name").GetString());
        var files = document.GetProperty("files").EnumerateArray().ToList();
        Assert.Equal(3, files.Count);
        var wheelEntry = files.Single(f => f.GetProperty("filename").GetString() == $"Page_{form}-1.0-py3-none-any.whl");
        Assert.Equal(wheelHash, wheelEntry.GetProperty("hashes").GetProperty("sha256").GetString());
        Assert.Equal(">=3.8", wheelEntry.GetProperty("requires-python").GetString());
        Assert.False(files.Single(f => f.GetProperty("filename").GetString()!.Contains("2.0", StringComparison.Ordinal)).TryGetProperty("requires-python", out _));

        // PEP 658: the wheel's METADATA, by the hash the index gives, at the file URL + ".metadata"; not for the sdist.
        var metadataHash = MetadataHash($"Page_{form}");
        Assert.Equal(metadataHash, wheelEntry.GetProperty("dist-info-metadata").GetProperty("sha256").GetString());
        Assert.Equal(metadataHash, wheelEntry.GetProperty("core-metadata").GetProperty("sha256").GetString());
        Assert.False(files.Single(f => f.GetProperty("filename").GetString()!.EndsWith(".tar.gz", StringComparison.Ordinal)).TryGetProperty("dist-info-metadata", out _));
        Assert.Contains($"data-dist-info-metadata=\"sha256={metadataHash}\"", html, StringComparison.Ordinal);
        var metadataUrl = new Uri(new Uri(app.App.RootUri, pageUrl), wheelEntry.GetProperty("url").GetString() + ".metadata").PathAndQuery;
        var metadata = await GetAsync(metadataUrl, credentials);
        Assert.Equal(HttpStatusCode.OK, metadata.StatusCode);
        Assert.Equal(metadataHash, Convert.ToHexStringLower(SHA256.HashData(await metadata.Content.ReadAsByteArrayAsync(Ct))));
        Assert.Equal(0, await DownloadsAsync(id));

        // The relative URL resolves against the page to the file route: the file itself, counted once.
        var fileUrl = new Uri(new Uri(app.App.RootUri, pageUrl), wheelEntry.GetProperty("url").GetString()).PathAndQuery;
        Assert.Equal($"{prefix}/python/files/{project}/1.0/Page_{form}-1.0-py3-none-any.whl", fileUrl);
        var file = await GetAsync(fileUrl, credentials);
        Assert.Equal(HttpStatusCode.OK, file.StatusCode);
        Assert.Equal(wheel, await file.Content.ReadAsByteArrayAsync(Ct));
        Assert.Equal(1, await DownloadsAsync(id));
    }

    [Theory]
    [InlineData(null, "text/html")]
    [InlineData("*/*", "text/html")]
    [InlineData(PipAccept, SimpleContentType.Json)]
    [InlineData("application/vnd.pypi.simple.v1+html", SimpleContentType.Html)]
    [InlineData("application/vnd.pypi.simple.latest+json", SimpleContentType.Json)]
    [InlineData("text/html;q=0.5, application/vnd.pypi.simple.v1+json;q=0.6", SimpleContentType.Json)]
    [InlineData("text/html;q=0.7, application/vnd.pypi.simple.v1+json;q=0.6", "text/html")]
    [InlineData("application/*;q=0.9, text/html;q=0.1", SimpleContentType.Html)]
    [InlineData("*/*, text/html;q=0", SimpleContentType.Html)]
    [InlineData("application/json", null)]
    public void Accept_and_its_q_values_choose_the_document(string? accept, string? chosen) => Assert.Equal(chosen, SimpleContentType.Choose(accept));

    [Fact]
    public async Task A_request_no_type_of_which_is_acceptable_gets_406()
    {
        await PublishAsync("Picky");
        var (_, token) = await app.CreateTokenAsync(new { name = "t" });
        Assert.Equal(HttpStatusCode.NotAcceptable, (await GetAsync($"/dl/{token}/{DownloadApp.Repo}/python/simple/picky/", _ => { }, "application/json")).StatusCode);
    }

    [Theory]
    [MemberData(nameof(Forms))]
    public async Task A_name_in_another_spelling_or_without_the_slash_redirects_to_the_normalised_url(string form)
    {
        await PublishAsync($"Redirect_{form}");
        var (_, token) = await app.CreateTokenAsync(new { name = "t" });
        var (prefix, credentials) = Form(form, token);

        var spelled = await GetAsync($"{prefix}/python/simple/Redirect.{form.ToUpperInvariant()}/", credentials);
        var noSlash = await GetAsync($"{prefix}/python/simple/redirect-{form}", credentials);
        var listNoSlash = await GetAsync($"{prefix}/python/simple", credentials);

        Assert.Equal(HttpStatusCode.MovedPermanently, spelled.StatusCode);
        Assert.Equal($"{prefix}/python/simple/redirect-{form}/", spelled.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.MovedPermanently, noSlash.StatusCode);
        Assert.Equal($"{prefix}/python/simple/redirect-{form}/", noSlash.Headers.Location?.OriginalString);
        Assert.Equal($"{prefix}/python/simple/", listNoSlash.Headers.Location?.OriginalString);
    }

    [Theory]
    [MemberData(nameof(Forms))]
    public async Task The_package_query_hides_a_project_from_the_list_the_page_and_the_file_route(string form)
    {
        await PublishAsync($"Seen_{form}");
        await PublishAsync($"Unseen_{form}");
        var (id, token) = await app.CreateTokenAsync(new { name = "narrow", limitPackageQuery = $"format:python AND name:seen-{form}" });
        var (prefix, credentials) = Form(form, token);

        var list = await (await GetAsync($"{prefix}/python/simple/", credentials)).Content.ReadAsStringAsync(Ct);
        var json = await (await GetAsync($"{prefix}/python/simple/", credentials, PipAccept)).Content.ReadAsStringAsync(Ct);
        var page = await GetAsync($"{prefix}/python/simple/unseen-{form}/", credentials);
        var file = await GetAsync($"{prefix}/python/files/unseen-{form}/1.0/Unseen_{form}-1.0-py3-none-any.whl", credentials);

        Assert.Contains($"seen-{form}/", list, StringComparison.Ordinal);
        Assert.DoesNotContain($"unseen-{form}", list, StringComparison.Ordinal);
        Assert.DoesNotContain($"unseen-{form}", json, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, file.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound,
            (await GetAsync($"{prefix}/python/files/unseen-{form}/1.0/Unseen_{form}-1.0-py3-none-any.whl.metadata", credentials)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync($"{prefix}/python/simple/seen-{form}/", credentials)).StatusCode);
        Assert.Equal(0, await DownloadsAsync(id));
        // The same file is there for a token that may see it.
        var (_, everything) = await app.CreateTokenAsync(new { name = "all" });
        var (allPrefix, allCredentials) = Form(form, everything);
        Assert.Equal(HttpStatusCode.OK,
            (await GetAsync($"{allPrefix}/python/files/unseen-{form}/1.0/Unseen_{form}-1.0-py3-none-any.whl", allCredentials)).StatusCode);
        Assert.Equal(HttpStatusCode.OK,
            (await GetAsync($"{allPrefix}/python/files/unseen-{form}/1.0/Unseen_{form}-1.0-py3-none-any.whl.metadata", allCredentials)).StatusCode);
    }

    [Fact]
    public async Task An_unknown_project_is_404_with_a_text_reason()
    {
        var (_, token) = await app.CreateTokenAsync(new { name = "t" });

        var response = await GetAsync($"/dl/{token}/{DownloadApp.Repo}/python/simple/never-published/", _ => { });

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("never-published", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        // A raw package's name is no Python project either.
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync($"/dl/{token}/{DownloadApp.Repo}/python/simple/{DownloadApp.Package}/", _ => { })).StatusCode);
    }

    [Theory]
    [MemberData(nameof(Forms))]
    public async Task A_disabled_token_is_403_and_an_unknown_one_401_on_every_route(string form)
    {
        await PublishAsync($"State_{form}");
        var (id, token) = await app.CreateTokenAsync(new { name = "t" });
        (await app.Api.PostAsync($"/api/v1/repos/{DownloadApp.Repo}/entitlements/{id}/disable", null, Ct)).EnsureSuccessStatusCode();
        var (prefix, credentials) = Form(form, token);
        var (unknownPrefix, unknownCredentials) = Form(form, "ent_notarealtokenatall0000000000");
        string[] routes = ["/python/simple/", $"/python/simple/state-{form}/", $"/python/files/state-{form}/1.0/State_{form}-1.0-py3-none-any.whl"];

        foreach (var route in routes)
        {
            var disabled = await GetAsync(prefix + route, credentials);
            Assert.Equal(HttpStatusCode.Forbidden, disabled.StatusCode);
            Assert.Contains("disabled", await disabled.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
            var unknown = await GetAsync(unknownPrefix + route, unknownCredentials);
            Assert.Equal(HttpStatusCode.Unauthorized, unknown.StatusCode);
            Assert.Equal(form == "basic", unknown.Headers.WwwAuthenticate.ToString().Contains("Basic", StringComparison.Ordinal));
        }
        Assert.Equal(0, await DownloadsAsync(id));
    }

    [Theory]
    [MemberData(nameof(Forms))]
    public async Task A_used_up_download_limit_refuses_the_file_but_still_serves_the_index_which_never_counts(string form)
    {
        var (wheel, _) = await PublishAsync($"Limit_{form}");
        var (id, token) = await app.CreateTokenAsync(new { name = "one", limitDownloads = 1 });
        var (prefix, credentials) = Form(form, token);
        var file = $"{prefix}/python/files/limit-{form}/1.0/Limit_{form}-1.0-py3-none-any.whl";

        Assert.Equal(wheel, await (await GetAsync(file, credentials)).Content.ReadAsByteArrayAsync(Ct));
        var refused = await GetAsync(file, credentials);

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("download limit", await refused.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await GetAsync($"{prefix}/python/simple/", credentials)).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await GetAsync($"{prefix}/python/simple/limit-{form}/", credentials, PipAccept)).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await GetAsync(file + ".metadata", credentials)).StatusCode);
        }
        Assert.Equal(1, await DownloadsAsync(id));
    }

    [Fact]
    public async Task Index_requests_are_recorded_as_events_but_never_counted()
    {
        await PublishAsync("Counted_Not");
        var (id, token) = await app.CreateTokenAsync(new { name = "t" });

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await GetAsync($"/dl/{token}/{DownloadApp.Repo}/python/simple/", _ => { })).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await GetAsync($"/dl/{token}/{DownloadApp.Repo}/python/simple/counted-not/", _ => { }, PipAccept)).StatusCode);
        }

        Assert.Equal(0, await DownloadsAsync(id));
        var events = await app.App.WithDbAsync(db => db.Set<Features.Downloads.DownloadEvent>().AsNoTracking().Where(e => e.TokenId == id).ToListAsync(Ct));
        while (events.Count < 6)
        {
            await app.EventsAsync(events.Count + 1);
            events = await app.App.WithDbAsync(db => db.Set<Features.Downloads.DownloadEvent>().AsNoTracking().Where(e => e.TokenId == id).ToListAsync(Ct));
        }
        Assert.Equal(6, events.Count);
        Assert.All(events, e => Assert.False(e.Counted));
        Assert.Contains(events, e => e.Package == "counted-not");
    }
}
