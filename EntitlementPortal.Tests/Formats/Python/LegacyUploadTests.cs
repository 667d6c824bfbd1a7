using System.Net;
using EntitlementPortal.Features.Packages;
using EntitlementPortal.Tests.Downloads;
using EntitlementPortal.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace EntitlementPortal.Tests.Formats.Python;

/// <summary>twine's upload request over real HTTP: what is stored, and every refusal with its reason phrase and nothing stored.</summary>
public sealed class LegacyUploadTests(DownloadApp app) : IClassFixture<DownloadApp>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private Task<List<Package>> StoredAsync(string name) =>
        app.App.WithDbAsync(db => db.Set<Package>().AsNoTracking().Include(p => p.Files).Where(p => p.Name == name).ToListAsync(Ct));

    private static async Task AssertRefusedAsync(HttpResponseMessage response, HttpStatusCode status, string reason)
    {
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == status, $"{(int)response.StatusCode} {response.ReasonPhrase}: {body}");
        // twine prints the reason phrase; other clients read the body.
        Assert.Contains(reason, response.ReasonPhrase, StringComparison.Ordinal);
        Assert.Contains(reason, body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wheel_and_an_sdist_become_one_version_with_two_files_under_the_normalised_name()
    {
        var upload = await PythonUpload.PostAsync(app.Api, PythonDistributions.WheelFilename("Two.Files", "1.0"),
            PythonDistributions.Wheel("Two.Files", "1.0", "two"), name: "Two.Files", version: "1.0", filetype: "bdist_wheel");
        Assert.Equal(HttpStatusCode.OK, upload.StatusCode);
        await PythonUpload.PublishAsync(app.Api, "Two.Files-1.0.tar.gz", PythonDistributions.Sdist("Two.Files", "1.0", "two"));

        var stored = Assert.Single(await StoredAsync("two-files"));
        Assert.Equal(("python", "1.0"), (stored.Format, stored.Version));
        Assert.Equal(["Two.Files-1.0-py3-none-any.whl", "Two.Files-1.0.tar.gz"], stored.Files.Select(f => f.Filename).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task The_same_file_again_is_400_file_already_exists()
    {
        var wheel = PythonDistributions.Wheel("again", "1.0", "again");
        await PythonUpload.PublishAsync(app.Api, PythonDistributions.WheelFilename("again", "1.0"), wheel);

        await AssertRefusedAsync(await PythonUpload.PostAsync(app.Api, PythonDistributions.WheelFilename("again", "1.0"), wheel),
            HttpStatusCode.BadRequest, "File already exists");
        Assert.Single(Assert.Single(await StoredAsync("again")).Files);
    }

    [Fact]
    public async Task A_digest_that_does_not_match_the_body_is_refused_and_nothing_is_stored()
    {
        var response = await PythonUpload.PostAsync(app.Api, PythonDistributions.WheelFilename("digest", "1.0"),
            PythonDistributions.Wheel("digest", "1.0", "digest"), sha256: new string('0', 64));

        await AssertRefusedAsync(response, HttpStatusCode.BadRequest, "not the sha256_digest");
        Assert.Empty(await StoredAsync("digest"));
    }

    [Fact]
    public async Task Fields_that_contradict_the_metadata_are_refused()
    {
        var wheel = PythonDistributions.Wheel("fields", "1.0", "fields");
        var filename = PythonDistributions.WheelFilename("fields", "1.0");

        await AssertRefusedAsync(await PythonUpload.PostAsync(app.Api, filename, wheel, name: "other"), HttpStatusCode.BadRequest, "names it 'fields'");
        await AssertRefusedAsync(await PythonUpload.PostAsync(app.Api, filename, wheel, version: "2.0"), HttpStatusCode.BadRequest, "version '1.0'");
        await AssertRefusedAsync(await PythonUpload.PostAsync(app.Api, filename, wheel, filetype: "sdist"), HttpStatusCode.BadRequest, "is a bdist_wheel");
        Assert.Empty(await StoredAsync("fields"));
        // Another spelling of the same name and version is the same project.
        Assert.Equal(HttpStatusCode.OK, (await PythonUpload.PostAsync(app.Api, filename, wheel, name: "Fields", version: "v1.0")).StatusCode);
    }

    [Fact]
    public async Task A_file_that_is_no_distribution_or_a_request_without_content_is_400()
    {
        await AssertRefusedAsync(await PythonUpload.PostAsync(app.Api, "notes.txt", "hello"u8.ToArray()), HttpStatusCode.BadRequest, "not a Python distribution");

        using var form = new MultipartFormDataContent { { new StringContent("file_upload"), ":action" } };
        await AssertRefusedAsync(await app.Api.PostAsync($"/api/v1/repos/{DownloadApp.Repo}/python/", form, Ct), HttpStatusCode.BadRequest, "'content'");
    }

    [Fact]
    public async Task Without_a_key_it_is_401_without_write_403_and_an_unknown_repository_404()
    {
        var wheel = PythonDistributions.Wheel("keyed", "1.0", "keyed");
        var filename = PythonDistributions.WheelFilename("keyed", "1.0");

        Assert.Equal(HttpStatusCode.Unauthorized, (await PythonUpload.PostAsync(app.Anonymous, filename, wheel)).StatusCode);
        var readerKey = await app.App.CreateUserWithKeyAsync($"reader-{Guid.NewGuid():N}@example.com");
        var reader = app.App.CreateApiClient(readerKey);
        var refused = await PythonUpload.PostAsync(reader, filename, wheel);
        Assert.True(refused.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.NotFound, $"{refused.StatusCode}");
        await AssertRefusedAsync(await PythonUpload.PostAsync(app.Api, filename, wheel, repo: "no-such-repo"), HttpStatusCode.NotFound, "not found");
        Assert.Empty(await StoredAsync("keyed"));
    }
}

/// <summary>The basic form without credentials: a Basic challenge pip answers, never a failed attempt that could lock the client out.</summary>
public sealed class SimpleIndexChallengeTests() : DownloadTestBase(new() { ["Downloads:FailedAttemptsPerMinute"] = "3" })
{
    [Fact]
    public async Task The_basic_form_without_credentials_is_401_with_a_challenge_and_no_failed_attempt()
    {
        await PythonUpload.PublishAsync(Api, PythonDistributions.WheelFilename("challenged", "1.0"), PythonDistributions.Wheel("challenged", "1.0", "c"));
        var (id, token) = await CreateTokenAsync(new { name = "t" });
        string[] routes = ["/python/simple/", "/python/simple/challenged/", "/python/files/challenged/1.0/challenged-1.0-py3-none-any.whl"];

        for (var i = 0; i < 3; i++)
        {
            foreach (var route in routes)
            {
                var response = await GetAsync($"/dl/basic/{Repo}{route}");
                Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
                Assert.StartsWith("Basic realm=", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
            }
        }

        // Nine requests without credentials, over a limit of three failed attempts a minute: the client is not locked out.
        Assert.Equal(HttpStatusCode.OK, (await GetAsync($"/dl/basic/{Repo}/python/simple/challenged/", Basic("token", token))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync($"/dl/basic/{Repo}{routes[2]}", Basic("token", token))).StatusCode);
        Assert.Equal(1, (await TokenAsync(id)).GetProperty("downloads").GetInt64());
    }
}
