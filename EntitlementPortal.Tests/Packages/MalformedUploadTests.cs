using System.Net;
using System.Net.Http.Json;
using System.Text;
using EntitlementPortal.Features.Packages;
using EntitlementPortal.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace EntitlementPortal.Tests.Packages;

/// <summary>
/// Hand-made multipart bodies against the streamed upload over real HTTP: every malformed one is a 400 problem that
/// leaves no package row, no blob and no temporary file, and the well-formed one they are cut from is accepted.
/// </summary>
public sealed class MalformedUploadTests(PackageApiFixture fixture) : IClassFixture<PackageApiFixture>, IAsyncLifetime
{
    private const string Boundary = "hostile-boundary-7d3f";
    private const string MultipartType = $"multipart/form-data; boundary={Boundary}";
    private const string End = $"--{Boundary}--\r\n";

    private readonly HttpClient api = fixture.App.CreateApiClient();
    private readonly string repo = "bad-" + Guid.NewGuid().ToString("N")[..8];
    private string[] blobsBefore = [];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string Base => $"/api/v1/repos/{repo}/packages";

    private PackageStorage Storage => fixture.App.Services.GetRequiredService<PackageStorage>();

    public async ValueTask InitializeAsync()
    {
        (await api.PostAsJsonAsync("/api/v1/repos", new { slug = repo, name = "Malformed uploads" }, Ct)).EnsureSuccessStatusCode();
        blobsBefore = BlobFiles();
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private static string Field(string name, string value) =>
        $"--{Boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n";

    private static string FilePart(string content, string extraHeaders = "") =>
        $"--{Boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"agent.tar.gz\"\r\n{extraHeaders}"
        + $"Content-Type: application/gzip\r\n\r\n{content}\r\n";

    /// <summary>A complete upload: name, version, file (unique content per test), final boundary.</summary>
    private string ValidBody(string content) => Field("name", "acme-agent") + Field("version", "1.0.0") + FilePart(content) + End;

    private static string UniqueContent() => "agent bytes " + Guid.NewGuid();

    private Task<HttpResponseMessage> PostRawAsync(string body, string contentType = MultipartType)
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        Assert.True(content.Headers.TryAddWithoutValidation("Content-Type", contentType));
        return api.PostAsync(Base, content, Ct);
    }

    private string[] BlobFiles()
    {
        var blobs = Path.Combine(Storage.Root, "sha256");
        return Directory.Exists(blobs) ? Directory.GetFiles(blobs, "*", SearchOption.AllDirectories).Order().ToArray() : [];
    }

    private async Task AssertStoredNothingAsync()
    {
        var packages = await fixture.App.WithDbAsync(db => db.Set<Package>().CountAsync(p => p.Repository!.Slug == repo, Ct));
        Assert.Equal(0, packages);
        Assert.Equal(blobsBefore, BlobFiles());
        var temp = Path.Combine(Storage.Root, "tmp");
        Assert.Empty(Directory.Exists(temp) ? Directory.GetFiles(temp, "*.part") : []);
    }

    [Fact]
    public async Task The_well_formed_body_the_hostile_ones_are_cut_from_is_accepted()
    {
        var response = await PostRawAsync(ValidBody(UniqueContent()));

        var created = await response.ReadJsonAsync(HttpStatusCode.Created);
        Assert.Equal("acme-agent", created.GetProperty("name").GetString());
    }

    [Fact]
    public async Task Truncated_multipart_upload_is_400_and_stores_nothing()
    {
        var body = ValidBody(UniqueContent());
        // Cut off inside the file's content: no delimiter after it, no final boundary.
        var truncated = body[..(body.LastIndexOf("agent bytes", StringComparison.Ordinal) + 20)];

        var problem = await (await PostRawAsync(truncated)).AssertProblemAsync(400);

        Assert.Contains("final boundary", problem.GetProperty("detail").GetString());
        await AssertStoredNothingAsync();
    }

    [Fact]
    public async Task Truncated_multipart_upload_with_the_file_first_is_400_and_stores_nothing()
    {
        var content = UniqueContent();
        var body = FilePart(content) + Field("name", "acme-agent") + Field("version", "1.0.0") + End;
        // The file arrived whole and was staged; the body then breaks off inside the next part.
        var truncated = body[..(body.IndexOf("name=\"name\"", StringComparison.Ordinal) + 20)];

        await (await PostRawAsync(truncated)).AssertProblemAsync(400);

        await AssertStoredNothingAsync();
    }

    [Theory]
    [InlineData("")]
    [InlineData($"--{Boundary}")]
    [InlineData($"--{Boundary}\r\n")]
    public async Task Multipart_upload_without_the_final_boundary_is_400_and_stores_nothing(string ending)
    {
        var body = ValidBody(UniqueContent());
        var withoutFinalBoundary = body[..^End.Length] + ending;

        await (await PostRawAsync(withoutFinalBoundary)).AssertProblemAsync(400);

        await AssertStoredNothingAsync();
    }

    [Theory]
    [InlineData("multipart/form-data")]
    [InlineData("multipart/form-data; boundary=")]
    [InlineData("multipart/form-data; boundary=\"\"")]
    [InlineData("multipart/form-data; charset=utf-8")]
    public async Task Multipart_upload_without_a_boundary_parameter_is_400(string contentType)
    {
        var problem = await (await PostRawAsync(ValidBody(UniqueContent()), contentType)).AssertProblemAsync(400);

        Assert.Contains("boundary", problem.GetProperty("detail").GetString());
        await AssertStoredNothingAsync();
    }

    [Fact]
    public async Task Multipart_part_headers_over_16_KB_are_400_and_store_nothing()
    {
        var padding = $"X-Padding: {new string('a', 17 * 1024)}\r\n";
        var body = Field("name", "acme-agent") + Field("version", "1.0.0") + FilePart(UniqueContent(), padding) + End;

        var problem = await (await PostRawAsync(body)).AssertProblemAsync(400);

        Assert.Contains("malformed", problem.GetProperty("detail").GetString());
        await AssertStoredNothingAsync();
    }

    [Theory]
    [InlineData("this is not a multipart body at all")]
    [InlineData("")]
    [InlineData($"--{Boundary}\r\nno headers, no blank line, then the end")]
    [InlineData("\u0000\u0001\u0002\u00ff\u00fe garbage \r\n\r\n--not-the-boundary--\r\n")]
    public async Task Garbage_multipart_body_is_400_and_stores_nothing(string body)
    {
        await (await PostRawAsync(body)).AssertProblemAsync(400);

        await AssertStoredNothingAsync();
    }

    [Fact]
    public async Task Tags_sent_after_the_file_are_recorded()
    {
        var body = Field("name", "late-tags") + Field("version", "1.0.0") + FilePart(UniqueContent()) + Field("tags", "lts") + End;

        var created = await (await PostRawAsync(body)).ReadJsonAsync(HttpStatusCode.Created);

        Assert.Equal(["lts"], created.GetProperty("tags").EnumerateArray().Select(t => t.GetString()!));
    }
}
