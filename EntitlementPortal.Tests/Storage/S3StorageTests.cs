using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using EntitlementPortal.Features.Packages;
using EntitlementPortal.Features.Packages.Storage;
using EntitlementPortal.Tests.Downloads;
using EntitlementPortal.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace EntitlementPortal.Tests.Storage;

/// <summary>
/// Package storage in a real S3-compatible server (s3rver): uploads through the API, downloads with ranges, one
/// object per content, health. The content cache is off so every download reads the bucket.
/// </summary>
public sealed class S3StorageTests(S3Server s3) : DownloadTestBase(Settings(s3)), IClassFixture<S3Server>
{
    private static Dictionary<string, string?> Settings(S3Server s3)
    {
        var settings = s3.StorageSettings();
        settings["Downloads:ContentCacheBytes"] = "0";
        return settings;
    }

    public override ValueTask InitializeAsync()
    {
        s3.Require();
        return base.InitializeAsync();
    }

    private static string Sha256Of(byte[] content) => Convert.ToHexStringLower(SHA256.HashData(content));

    [Fact]
    public async Task An_uploaded_file_downloads_with_the_same_SHA_256_from_one_object_under_its_hash()
    {
        var (_, token) = await CreateTokenAsync(new { name = "Round trip" });

        var response = await GetAsync($"/dl/{token}/{FilePath}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Sha256Of(Content), Sha256Of(await response.Content.ReadAsByteArrayAsync(Ct)));
        var sha = Sha256Of(Content);
        Assert.Contains($"sha256/{sha[..2]}/{sha[2..4]}/{sha}", s3.ObjectKeys());
        Assert.Empty(s3.ObjectKeys("tmp/"));
    }

    [Fact]
    public async Task Identical_content_is_stored_once()
    {
        var sha = Sha256Of(Content);
        await UploadAsync(Repo, Package, "2.2.0", "acme-agent-2.2.0.bin", Content);

        Assert.Single(s3.ObjectKeys(), key => key.EndsWith(sha, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_range_is_read_from_the_bucket_as_206_with_the_right_bytes()
    {
        var (_, token) = await CreateTokenAsync(new { name = "Range" });

        var response = await GetAsync($"/dl/{token}/{FilePath}", r => r.Headers.Range = new RangeHeaderValue(1000, 2999));

        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        Assert.Equal(new ContentRangeHeaderValue(1000, 2999, Content.Length), response.Content.Headers.ContentRange);
        Assert.Equal(Content[1000..3000], await response.Content.ReadAsByteArrayAsync(Ct));
    }

    [Fact]
    public async Task A_64_MiB_upload_streams_in_8_MiB_parts_and_round_trips()
    {
        const long size = 64L * 1024 * 1024;
        using var form = new MultipartFormDataContent
        {
            { new StringContent(Package), "name" },
            { new StringContent("9.0.0"), "version" },
        };
        var file = new StreamContent(new GeneratedStream(size, seed: 11));
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(file, "file", "large.bin");
        var partsBefore = PartUploads();

        var upload = await Api.PostAsync($"/api/v1/repos/{Repo}/packages", form, Ct);

        Assert.Equal(HttpStatusCode.Created, upload.StatusCode);
        // One part buffer at a time: 8 parts of 8 MiB, never the whole file.
        Assert.Equal((int)(size / S3MultipartWriter.PartSize), PartUploads() - partsBefore);
        var (_, token) = await CreateTokenAsync(new { name = "Large" });
        var download = await GetAsync($"/dl/{token}/{Repo}/{Package}/9.0.0/large.bin");
        using var sha = SHA256.Create();
        await using var body = await download.Content.ReadAsStreamAsync(Ct);
        Assert.Equal(await new GeneratedStream(size, seed: 11).HashAsync(Ct), Convert.ToHexStringLower(await sha.ComputeHashAsync(body, Ct)));
        Assert.Empty(s3.ObjectKeys("tmp/"));
    }

    [Fact]
    public async Task Storage_health_is_reported()
    {
        var health = await Anonymous.GetFromJsonAsync<JsonElement>("/healthz", Ct);

        Assert.Equal("Healthy", health.GetProperty("checks").GetProperty("storage").GetString());
        Assert.True(await App.Services.GetRequiredService<PackageStorage>().CanWriteAsync(Ct));
    }

    [Theory]
    [InlineData("../../etc/passwd")]
    [InlineData("ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789")]
    [InlineData("sha256/00/00/0000000000000000000000000000000000000000000000000000000000")]
    public async Task Keys_are_only_built_from_lowercase_hex_hashes(string hostile)
    {
        var storage = App.Services.GetRequiredService<PackageStorage>();

        await Assert.ThrowsAsync<ArgumentException>(() => storage.ExistsAsync(hostile, Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => storage.OpenRangeAsync(hostile, 0, 1, Ct));
        Assert.Throws<ArgumentException>(() => S3BlobStore.KeyFor(hostile));
    }

    private int PartUploads() => s3.RequestLog.Count(line => line.Contains("Stored part ", StringComparison.Ordinal));
}
