using System.Net;
using System.Net.Http.Json;
using System.Text;
using EntitlementPortal.Tests.Support;

namespace EntitlementPortal.Tests.Api;

public sealed class RepositoryApiTests(ApiAppFactory app) : IClassFixture<ApiAppFactory>
{
    private readonly HttpClient api = app.CreateApiClient();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<HttpResponseMessage> CreateAsync(object body) => await api.PostAsJsonAsync("/api/v1/repos", body, Ct);

    [Fact]
    public async Task Create_returns_201_with_location_and_the_stored_repository()
    {
        var response = await CreateAsync(new { slug = "acme-agent", name = "Acme agent", description = "Agents", visibility = "private" });

        var created = await response.ReadJsonAsync(HttpStatusCode.Created);
        Assert.Equal("/api/v1/repos/acme-agent", response.Headers.Location!.OriginalString);
        Assert.Equal("private", created.GetProperty("visibility").GetString());
        var fetched = await (await api.GetAsync("/api/v1/repos/acme-agent", Ct)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("Agents", fetched.GetProperty("description").GetString());
        Assert.True(fetched.GetProperty("userTokensEnabled").GetBoolean());
    }

    [Fact]
    public async Task Duplicate_slug_is_409_keyed_by_slug_and_keeps_the_original()
    {
        await CreateAsync(new { slug = "dup-repo", name = "Original" });

        var problem = await (await CreateAsync(new { slug = "dup-repo", name = "Second" })).AssertProblemAsync(409);

        Assert.Contains("already exists", problem.ErrorsFor("slug")[0]);
        var kept = await (await api.GetAsync("/api/v1/repos/dup-repo", Ct)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("Original", kept.GetProperty("name").GetString());
    }

    [Theory]
    [InlineData("api", "slug")]
    [InlineData("public", "slug")]
    [InlineData("Upper", "slug")]
    [InlineData("a", "slug")]
    [InlineData("-edge", "slug")]
    public async Task Invalid_slug_is_400_keyed_by_slug(string slug, string field)
    {
        var problem = await (await CreateAsync(new { slug, name = "Name" })).AssertProblemAsync(400);
        Assert.NotEmpty(problem.ErrorsFor(field));
    }

    [Fact]
    public async Task Too_long_name_and_missing_name_are_field_errors()
    {
        var tooLong = await (await CreateAsync(new { slug = "long-name", name = new string('n', 101) })).AssertProblemAsync(400);
        Assert.NotEmpty(tooLong.ErrorsFor("name"));
        var missing = await (await CreateAsync(new { slug = "no-name" })).AssertProblemAsync(400);
        Assert.NotEmpty(missing.ErrorsFor("name"));
    }

    [Fact]
    public async Task Malformed_json_is_400_problem_not_500()
    {
        var response = await api.PostAsync("/api/v1/repos", new StringContent("{\"slug\": ", Encoding.UTF8, "application/json"), Ct);

        var problem = await response.AssertProblemAsync(400);
        Assert.Contains("not valid JSON", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Unknown_visibility_is_400_keyed_by_the_field()
    {
        var problem = await (await CreateAsync(new { slug = "vis", name = "Vis", visibility = "secret" })).AssertProblemAsync(400);
        Assert.NotEmpty(problem.ErrorsFor("visibility"));
    }

    [Fact]
    public async Task Patch_changes_only_the_fields_sent()
    {
        await CreateAsync(new { slug = "patch-me", name = "Before", description = "Keep me" });

        var patched = await (await api.PatchJsonAsync("/api/v1/repos/patch-me", new { name = "After" })).ReadJsonAsync(HttpStatusCode.OK);

        Assert.Equal("After", patched.GetProperty("name").GetString());
        Assert.Equal("Keep me", patched.GetProperty("description").GetString());
        Assert.Equal("private", patched.GetProperty("visibility").GetString());
    }

    [Fact]
    public async Task Patch_with_an_unknown_field_or_a_new_slug_is_400_and_changes_nothing()
    {
        await CreateAsync(new { slug = "strict", name = "Strict" });

        var typo = await (await api.PatchJsonAsync("/api/v1/repos/strict", new { nmae = "x", name = "Changed" })).AssertProblemAsync(400);
        Assert.NotEmpty(typo.ErrorsFor("nmae"));
        var rename = await (await api.PatchJsonAsync("/api/v1/repos/strict", new { slug = "renamed" })).AssertProblemAsync(400);
        Assert.NotEmpty(rename.ErrorsFor("slug"));

        var kept = await (await api.GetAsync("/api/v1/repos/strict", Ct)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("Strict", kept.GetProperty("name").GetString());
    }

    [Fact]
    public async Task Delete_is_204_then_the_repository_is_gone()
    {
        await CreateAsync(new { slug = "short-lived", name = "Short" });

        Assert.Equal(HttpStatusCode.NoContent, (await api.DeleteAsync("/api/v1/repos/short-lived", Ct)).StatusCode);

        await (await api.GetAsync("/api/v1/repos/short-lived", Ct)).AssertProblemAsync(404);
        await (await api.DeleteAsync("/api/v1/repos/short-lived", Ct)).AssertProblemAsync(404);
    }

    [Fact]
    public async Task A_repository_with_packages_is_deleted_only_with_its_packages_and_their_files()
    {
        await CreateAsync(new { slug = "with-packages", name = "Has packages" });
        using var form = new MultipartFormDataContent
        {
            { new StringContent("tool"), "name" },
            { new StringContent("1.0.0"), "version" },
            { new ByteArrayContent([1, 2, 3, 4]), "file", "tool.bin" },
        };
        var uploaded = await (await api.PostAsync("/api/v1/repos/with-packages/packages", form, Ct)).ReadJsonAsync(HttpStatusCode.Created);
        var sha = uploaded.GetProperty("files")[0].GetProperty("sha256").GetString()!;
        var storage = (EntitlementPortal.Features.Packages.PackageStorage)app.Services.GetService(typeof(EntitlementPortal.Features.Packages.PackageStorage))!;
        Assert.True(await storage.ExistsAsync(sha, TestContext.Current.CancellationToken));

        var refused = await (await api.DeleteAsync("/api/v1/repos/with-packages", Ct)).AssertProblemAsync(409);
        Assert.Contains("deletePackages=true", refused.GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/api/v1/repos/with-packages", Ct)).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await api.DeleteAsync("/api/v1/repos/with-packages?deletePackages=true", Ct)).StatusCode);
        await (await api.GetAsync("/api/v1/repos/with-packages", Ct)).AssertProblemAsync(404);
        Assert.False(await storage.ExistsAsync(sha, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task List_pages_with_items_and_total_and_rejects_oversized_pages()
    {
        for (var i = 0; i < 3; i++)
        {
            await CreateAsync(new { slug = $"paged-{i}", name = $"Paged {i}" });
        }

        var page = await (await api.GetAsync("/api/v1/repos?search=paged-&pageSize=2&page=2&sort=slug", Ct)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(3, page.GetProperty("total").GetInt32());
        var items = page.GetProperty("items").EnumerateArray().Select(r => r.GetProperty("slug").GetString()!).ToArray();
        Assert.Equal(["paged-2"], items);

        var tooBig = await (await api.GetAsync("/api/v1/repos?pageSize=501", Ct)).AssertProblemAsync(400);
        Assert.NotEmpty(tooBig.ErrorsFor("pageSize"));
        var zero = await (await api.GetAsync("/api/v1/repos?page=0", Ct)).AssertProblemAsync(400);
        Assert.NotEmpty(zero.ErrorsFor("page"));
    }

    [Fact]
    public async Task Every_change_is_in_the_audit_log_with_actor_and_address()
    {
        await CreateAsync(new { slug = "audited", name = "Audited" });
        await api.PatchJsonAsync("/api/v1/repos/audited", new { visibility = "public" });

        var log = await (await api.GetAsync("/api/v1/audit?entityType=repository&entityId=audited", Ct)).ReadJsonAsync(HttpStatusCode.OK);

        var entries = log.GetProperty("items").EnumerateArray().ToArray();
        Assert.Equal(["update", "create"], entries.Select(e => e.GetProperty("action").GetString()));
        Assert.All(entries, e => Assert.Equal(ApiAppFactory.AdminEmail, e.GetProperty("actorName").GetString()));
        Assert.All(entries, e => Assert.False(string.IsNullOrEmpty(e.GetProperty("clientIp").GetString())));
        Assert.Contains("visibility", entries[0].GetProperty("summary").GetString());
    }
}
