using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;
using EntitlementPortal.Features.Formats;
using EntitlementPortal.Features.Formats.Npm;
using EntitlementPortal.Tests.Support;
using FluentValidation;
using static EntitlementPortal.Tests.Formats.Npm.NpmTestPackages;

namespace EntitlementPortal.Tests.Formats.Npm;

/// <summary>The npm format reads name, version and metadata from the tarball itself, and refuses hostile tarballs.</summary>
public sealed class NpmTarballTests : IDisposable
{
    private readonly TempDirectory directory = new();
    private readonly NpmFormat format = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<FormatManifest> ReadAsync(byte[] content)
    {
        var path = directory.File(Guid.NewGuid().ToString("N") + ".tgz");
        await System.IO.File.WriteAllBytesAsync(path, content, Ct);
        return await format.ReadAsync(path, "upload.tgz", Ct);
    }

    private async Task<string> RefusalAsync(byte[] content)
    {
        var refused = await Assert.ThrowsAsync<ValidationException>(() => ReadAsync(content));
        return string.Join(" ", refused.Errors.Select(e => e.ErrorMessage));
    }

    [Fact]
    public async Task A_packed_package_gives_its_name_version_manifest_and_npm_digests()
    {
        var tarball = Package("@acme/widget", "1.2.3", extra: ""","dependencies":{"left-pad":"^1.0.0"},"_private":1,"readme":"long","n":1""");

        var manifest = await ReadAsync(tarball);

        Assert.Equal("@acme/widget", manifest.Name);
        Assert.Equal("1.2.3", manifest.Version);
        Assert.Equal("widget-1.2.3.tgz", manifest.Filename);
        Assert.True(manifest.OneFilePerVersion);
        var metadata = JsonDocument.Parse(manifest.PackageMetadata!).RootElement;
        Assert.Equal("^1.0.0", metadata.GetProperty("dependencies").GetProperty("left-pad").GetString());
        Assert.False(metadata.TryGetProperty("_private", out _));
        Assert.False(metadata.TryGetProperty("readme", out _));
        var file = JsonDocument.Parse(manifest.FileMetadata!).RootElement;
        Assert.Equal(Integrity(tarball), file.GetProperty("integrity").GetString());
        Assert.Equal(Convert.ToHexStringLower(SHA1.HashData(tarball)), file.GetProperty("shasum").GetString());
        Assert.Equal(2, file.GetProperty("fileCount").GetInt32());
    }

    [Fact]
    public async Task An_empty_file_or_one_that_is_no_gzipped_tar_is_refused()
    {
        Assert.Contains("empty", await RefusalAsync([]));
        Assert.Contains("not an npm tarball", await RefusalAsync("PK\u0003\u0004 not a tarball"u8.ToArray()));
        // A gzip of something that is not a tar.
        using var gzipped = new MemoryStream();
        await using (var gzip = new GZipStream(gzipped, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(RandomNumberGenerator.GetBytes(4096));
        }
        Assert.Contains("not an npm tarball", await RefusalAsync(gzipped.ToArray()));
    }

    [Fact]
    public async Task A_tarball_without_package_json_or_with_a_broken_one_is_refused()
    {
        Assert.Contains("no package/package.json", await RefusalAsync(Tarball(File("package/index.js", "1"))));
        Assert.Contains("outside the package/ folder", await RefusalAsync(Tarball(File("other/package.json", PackageJson("a", "1.0.0")))));
        Assert.Contains("not valid JSON", await RefusalAsync(Tarball(File("package/package.json", "{\"name\":"))));
        Assert.Contains("not a JSON object", await RefusalAsync(Tarball(File("package/package.json", "[1]"))));
        Assert.Contains("twice", await RefusalAsync(Tarball(File("package/package.json", PackageJson("a", "1.0.0")), File("package/package.json", PackageJson("b", "1.0.0")))));
    }

    [Theory]
    [InlineData("", "1.0.0", "no \"name\"")]
    [InlineData("Acme", "1.0.0", "not a valid npm name")]
    [InlineData(".hidden", "1.0.0", "can't start with")]
    [InlineData("_private", "1.0.0", "can't start with")]
    [InlineData("has space", "1.0.0", "not a valid npm name")]
    [InlineData("node_modules", "1.0.0", "not allowed")]
    [InlineData("@acme/..", "1.0.0", "not allowed")]
    [InlineData("ok", "", "no \"version\"")]
    [InlineData("ok", "v1.0.0", "not a valid semver")]
    [InlineData("ok", "1.0", "not a valid semver")]
    [InlineData("ok", "1.0.0\n", "not a valid semver")]
    public async Task Names_and_versions_npm_would_refuse_are_refused(string name, string version, string problem)
    {
        var json = name.Length == 0 ? $$"""{"version":"{{version}}"}""" : version.Length == 0 ? $$"""{"name":"{{name}}"}""" : PackageJson(name, version);

        Assert.Contains(problem, await RefusalAsync(Tarball(File("package/package.json", json))));
    }

    [Fact]
    public async Task A_name_longer_than_the_portal_stores_is_refused_clearly()
    {
        var name = "@acme/" + new string('a', 95);

        Assert.Contains("longer than 100 characters", await RefusalAsync(Package(name, "1.0.0")));
    }

    [Theory]
    [InlineData("package/../../etc/passwd")]
    [InlineData("/etc/passwd")]
    [InlineData("../outside.js")]
    [InlineData("elsewhere/index.js")]
    [InlineData("package\\..\\..\\evil.js")]
    public async Task Entries_outside_the_package_folder_are_refused(string path)
    {
        var tarball = Tarball(File("package/package.json", PackageJson("a", "1.0.0")), File(path, "evil"));

        Assert.Contains("outside the package/ folder", await RefusalAsync(tarball));
    }

    [Fact]
    public async Task Links_are_refused()
    {
        var tarball = Tarball(File("package/package.json", PackageJson("a", "1.0.0")),
            new Entry("package/passwd", [], TarEntryType.SymbolicLink, "/etc/passwd"));

        Assert.Contains("SymbolicLink", await RefusalAsync(tarball));
    }

    [Fact]
    public async Task A_package_json_over_one_mebibyte_is_refused_whatever_its_content()
    {
        var huge = PackageJson("a", "1.0.0", extra: $",\"description\":\"{new string('x', 1024 * 1024)}\"");

        Assert.Contains("larger than 1024 KiB", await RefusalAsync(Tarball(File("package/package.json", huge))));
    }

    [Fact]
    public async Task A_tarball_that_inflates_past_the_budget_is_refused()
    {
        // 64 MiB of zeros gzip to about 64 KiB: the reader must stop at its budget, not at the end.
        var bomb = Tarball(File("package/package.json", PackageJson("a", "1.0.0")), new Entry("package/zeros.bin", new byte[64 * 1024 * 1024]));
        await using var stream = new MemoryStream(bomb);

        var refused = await Assert.ThrowsAsync<ValidationException>(() =>
            NpmTarball.ReadAsync(stream, NpmTarballLimits.Default with { MaxUnpackedBytes = 8 * 1024 * 1024 }, Ct));

        Assert.Contains("unpacks to more than 8 MiB", refused.Message);
        Assert.True(stream.Position < bomb.Length / 2, "the reader went on inflating after its budget");
    }

    [Fact]
    public async Task Too_many_entries_are_refused()
    {
        var entries = Enumerable.Range(0, 30).Select(i => File($"package/f{i}.js", "1")).Prepend(File("package/package.json", PackageJson("a", "1.0.0")));
        await using var stream = new MemoryStream(Tarball([.. entries]));

        var refused = await Assert.ThrowsAsync<ValidationException>(() =>
            NpmTarball.ReadAsync(stream, NpmTarballLimits.Default with { MaxEntries = 10 }, Ct));

        Assert.Contains("more than 10 entries", refused.Message);
    }

    [Fact]
    public void Only_tgz_files_are_possibly_npm_packages()
    {
        Assert.Equal(FormatClaim.Possible, format.Claims("widget-1.0.0.tgz"));
        Assert.Equal(FormatClaim.None, format.Claims("widget-1.0.0.tar.gz"));
        Assert.Equal(FormatClaim.None, format.Claims("widget.whl"));
    }

    public void Dispose() => directory.Dispose();
}
