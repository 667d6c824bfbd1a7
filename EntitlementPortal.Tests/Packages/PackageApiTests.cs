using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using EntitlementPortal.Features.Packages;
using EntitlementPortal.Identity;
using EntitlementPortal.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace EntitlementPortal.Tests.Packages;

public sealed class PackageApiTests(PackageApiFixture fixture) : IClassFixture<PackageApiFixture>, IAsyncLifetime
{
    private readonly HttpClient api = fixture.App.CreateApiClient();
    private readonly string repo = "pkg-" + Guid.NewGuid().ToString("N")[..8];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string Base => $"/api/v1/repos/{repo}/packages";

    public async ValueTask InitializeAsync() =>
        (await api.PostAsJsonAsync("/api/v1/repos", new { slug = repo, name = "Packages" }, Ct)).EnsureSuccessStatusCode();

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private static MultipartFormDataContent Form(string? name, string? version, string? tags, string? filename, byte[]? content)
    {
        var form = new MultipartFormDataContent();
        if (name is not null)
        {
            form.Add(new StringContent(name), "name");
        }
        if (version is not null)
        {
            form.Add(new StringContent(version), "version");
        }
        if (tags is not null)
        {
            form.Add(new StringContent(tags), "tags");
        }
        if (filename is not null)
        {
            var file = new ByteArrayContent(content ?? []);
            file.Headers.ContentType = new MediaTypeHeaderValue("application/gzip");
            form.Add(file, "file", filename);
        }
        return form;
    }

    private Task<HttpResponseMessage> UploadAsync(string? name, string? version, string? filename, byte[]? content,
        string? tags = null, string? target = null) =>
        api.PostAsync(target ?? Base, Form(name, version, tags, filename, content), Ct);

    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    private string[] BlobFiles()
    {
        var root = fixture.App.Services.GetService(typeof(PackageStorage)) is PackageStorage storage ? storage.Root : throw new InvalidOperationException();
        var blobs = Path.Combine(root, "sha256");
        return Directory.Exists(blobs) ? Directory.GetFiles(blobs, "*", SearchOption.AllDirectories) : [];
    }

    [Fact]
    public async Task Multipart_upload_returns_201_with_location_and_the_contract_shape()
    {
        var content = Bytes("agent binary");

        var response = await UploadAsync("acme-agent", "2.0.0", "agent.tar.gz", content, tags: "lts, stable");

        var package = await response.ReadJsonAsync(HttpStatusCode.Created);
        var id = package.GetProperty("id").GetInt32();
        Assert.Equal($"/api/v1/repos/{repo}/packages/{id}", response.Headers.Location!.OriginalString);
        Assert.Equal(["id", "name", "version", "tags", "format", "files", "uploadedBy", "uploadedAt"],
            package.EnumerateObject().Select(p => p.Name));
        Assert.Equal(("acme-agent", "2.0.0", "raw", ApiAppFactory.AdminEmail),
            (package.GetProperty("name").GetString(), package.GetProperty("version").GetString(),
                package.GetProperty("format").GetString(), package.GetProperty("uploadedBy").GetString()));
        Assert.Equal(["lts", "stable"], package.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        var file = Assert.Single(package.GetProperty("files").EnumerateArray());
        Assert.Equal(["filename", "size", "sha256"], file.EnumerateObject().Select(p => p.Name));
        Assert.Equal(("agent.tar.gz", content.Length, Convert.ToHexStringLower(SHA256.HashData(content))),
            (file.GetProperty("filename").GetString(), file.GetProperty("size").GetInt32(), file.GetProperty("sha256").GetString()));

        var fetched = await (await api.GetAsync(response.Headers.Location, Ct)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(id, fetched.GetProperty("id").GetInt32());
    }

    [Fact]
    public async Task The_file_may_come_before_its_name_and_version_as_the_contract_lists_the_fields()
    {
        using var form = new MultipartFormDataContent
        {
            { new ByteArrayContent(Bytes("file first")), "file", "first.bin" },
            { new StringContent("early-bird"), "name" },
            { new StringContent("1.0.0"), "version" },
            { new StringContent("beta"), "tags" },
        };

        var created = await (await api.PostAsync(Base, form, Ct)).ReadJsonAsync(HttpStatusCode.Created);

        Assert.Equal("early-bird", created.GetProperty("name").GetString());
        Assert.Equal("first.bin", created.GetProperty("files")[0].GetProperty("filename").GetString());
        Assert.Equal(["beta"], created.GetProperty("tags").EnumerateArray().Select(t => t.GetString()!));
    }

    [Fact]
    public async Task A_file_sent_first_with_bad_fields_is_refused_and_its_content_removed()
    {
        var before = BlobFiles();
        using var form = new MultipartFormDataContent
        {
            { new ByteArrayContent(Bytes("orphan " + Guid.NewGuid())), "file", "orphan.bin" },
            { new StringContent("Bad Name!"), "name" },
        };

        var problem = await (await api.PostAsync(Base, form, Ct)).AssertProblemAsync(400);

        Assert.NotEmpty(problem.ErrorsFor("name"));
        Assert.NotEmpty(problem.ErrorsFor("version"));
        Assert.Equal(before, BlobFiles());
    }

    [Theory]
    [InlineData(null, "1.0", "a.bin", "name")]
    [InlineData("acme-agent", null, "a.bin", "version")]
    [InlineData("acme-agent", "1.0", null, "file")]
    public async Task Missing_field_is_400_keyed_by_that_field(string? name, string? version, string? filename, string field)
    {
        var problem = await (await UploadAsync(name, version, filename, Bytes("x"))).AssertProblemAsync(400);

        Assert.NotEmpty(problem.ErrorsFor(field));
    }

    [Fact]
    public async Task Same_file_in_the_same_version_is_409_on_file()
    {
        (await UploadAsync("acme-agent", "1.0", "a.bin", Bytes("first"))).EnsureSuccessStatusCode();

        var problem = await (await UploadAsync("acme-agent", "1.0", "a.bin", Bytes("second"))).AssertProblemAsync(409);

        Assert.Contains("a.bin", problem.ErrorsFor("file")[0]);
    }

    [Fact]
    public async Task Oversize_upload_is_413_and_stores_nothing()
    {
        var before = BlobFiles().Length;
        var big = new byte[PackageApiFixture.MaxUploadBytes + 1];
        new Random(1).NextBytes(big);

        var problem = await (await UploadAsync("big-tool", "1.0", "big.bin", big)).AssertProblemAsync(413);

        Assert.Contains("upload limit", problem.GetProperty("detail").GetString());
        Assert.Equal(before, BlobFiles().Length);
        var list = await (await api.GetAsync($"{Base}?query=name:big-tool", Ct)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(0, list.GetProperty("total").GetInt32());
    }

    [Theory]
    [InlineData("../evil.sh")]
    [InlineData("..\\evil.sh")]
    [InlineData("dir/evil.sh")]
    public async Task Traversal_file_name_is_400_on_file(string filename)
    {
        var problem = await (await UploadAsync("acme-agent", "1.0", filename, Bytes("x"))).AssertProblemAsync(400);

        Assert.NotEmpty(problem.ErrorsFor("file"));
    }

    [Fact]
    public async Task Unknown_repository_is_404()
    {
        await (await UploadAsync("acme-agent", "1.0", "a.bin", Bytes("x"), target: "/api/v1/repos/no-such-repo/packages")).AssertProblemAsync(404);
        await (await api.GetAsync("/api/v1/repos/no-such-repo/packages", Ct)).AssertProblemAsync(404);
    }

    [Fact]
    public async Task A_body_that_is_not_multipart_is_415()
    {
        await (await api.PostAsJsonAsync(Base, new { name = "acme-agent" }, Ct)).AssertProblemAsync(415);
    }

    [Fact]
    public async Task List_takes_a_package_query()
    {
        (await UploadAsync("acme-agent", "1.9", "a.bin", Bytes("a"))).EnsureSuccessStatusCode();
        (await UploadAsync("acme-agent", "2.1", "a.bin", Bytes("b"))).EnsureSuccessStatusCode();
        (await UploadAsync("other", "5.0", "o.bin", Bytes("c"))).EnsureSuccessStatusCode();

        var all = await (await api.GetAsync(Base, Ct)).ReadJsonAsync(HttpStatusCode.OK);
        var filtered = await (await api.GetAsync($"{Base}?query={Uri.EscapeDataString("name:acme* AND version:>=2")}", Ct))
            .ReadJsonAsync(HttpStatusCode.OK);

        Assert.Equal(3, all.GetProperty("total").GetInt32());
        var item = Assert.Single(filtered.GetProperty("items").EnumerateArray());
        Assert.Equal("2.1", item.GetProperty("version").GetString());
    }

    [Fact]
    public async Task Invalid_query_is_400_keyed_by_query_with_the_position()
    {
        var problem = await (await api.GetAsync($"{Base}?query={Uri.EscapeDataString("name:(acme")}", Ct)).AssertProblemAsync(400);

        Assert.Contains("position", Assert.Single(problem.ErrorsFor("query")));
    }

    [Fact]
    public async Task Delete_is_204_then_the_package_is_gone()
    {
        var created = await (await UploadAsync("gone-tool", "1.0", "g.bin", Bytes("unique content for delete " + repo)))
            .ReadJsonAsync(HttpStatusCode.Created);
        var url = $"{Base}/{created.GetProperty("id").GetInt32()}";

        Assert.Equal(HttpStatusCode.NoContent, (await api.DeleteAsync(url, Ct)).StatusCode);

        await (await api.GetAsync(url, Ct)).AssertProblemAsync(404);
        await (await api.DeleteAsync(url, Ct)).AssertProblemAsync(404);
        var sha = created.GetProperty("files")[0].GetProperty("sha256").GetString()!;
        Assert.DoesNotContain(BlobFiles(), f => f.EndsWith(sha, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_token_manager_may_read_but_not_upload()
    {
        var key = await fixture.App.CreateUserWithKeyAsync($"tm-{repo}@example.com", Roles.TokenManager);
        var tokenManager = fixture.App.CreateApiClient(key);

        var problem = await (await tokenManager.PostAsync(Base, Form("acme-agent", "1.0", null, "a.bin", Bytes("x")), Ct)).AssertProblemAsync(403);

        Assert.Contains("Upload a package in", problem.GetProperty("detail").GetString());
        (await tokenManager.GetAsync(Base, Ct)).EnsureSuccessStatusCode();
    }

    [Fact]
    public async Task Repository_shows_its_package_count()
    {
        (await UploadAsync("acme-agent", "1.0", "a.bin", Bytes("a"))).EnsureSuccessStatusCode();
        (await UploadAsync("acme-agent", "1.0", "b.bin", Bytes("b"))).EnsureSuccessStatusCode();
        (await UploadAsync("acme-agent", "1.1", "a.bin", Bytes("c"))).EnsureSuccessStatusCode();

        var repository = await (await api.GetAsync($"/api/v1/repos/{repo}", Ct)).ReadJsonAsync(HttpStatusCode.OK);

        Assert.Equal(2, repository.GetProperty("packageCount").GetInt32());
    }

    [Fact]
    public async Task OpenApi_document_describes_the_package_routes_and_the_upload_form()
    {
        var document = await (await api.GetAsync("/openapi/v1.json", Ct)).ReadJsonAsync(HttpStatusCode.OK);

        var paths = document.GetProperty("paths");
        var upload = paths.GetProperty("/api/v1/repos/{repo}/packages").GetProperty("post");
        Assert.True(upload.GetProperty("requestBody").GetProperty("content").TryGetProperty("multipart/form-data", out _));
        Assert.True(paths.GetProperty("/api/v1/repos/{repo}/packages/{id}").TryGetProperty("delete", out _));
    }

    [Fact]
    public async Task Upload_is_audited()
    {
        (await UploadAsync("audited-tool", "1.0", "a.bin", Bytes("audited"))).EnsureSuccessStatusCode();

        var entries = await fixture.App.WithDbAsync(db => db.Set<Features.Audit.AuditEntry>()
            .Where(a => a.EntityId == $"{repo}/audited-tool/1.0").ToListAsync(Ct));

        Assert.Equal(ApiAppFactory.AdminEmail, Assert.Single(entries).ActorName);
    }
}
