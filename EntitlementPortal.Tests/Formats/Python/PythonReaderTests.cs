using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using EntitlementPortal.Features.Formats.Python;
using EntitlementPortal.Tests.Support;
using FluentValidation;

namespace EntitlementPortal.Tests.Formats.Python;

/// <summary>The wheel and sdist reader with hostile input: every refusal is a ValidationException a client prints.</summary>
public sealed class PythonReaderTests : IDisposable
{
    private readonly TempDirectory temp = new();

    public void Dispose() => temp.Dispose();

    private Features.Formats.FormatManifest Read(string filename, byte[] content)
    {
        var path = temp.File(Guid.NewGuid().ToString("N"));
        File.WriteAllBytes(path, content);
        return PythonDistribution.Read(path, filename);
    }

    private string Refusal(string filename, byte[] content) =>
        Assert.Throws<ValidationException>(() => Read(filename, content)).Errors.Single().ErrorMessage;

    [Fact]
    public void A_wheel_gives_the_normalised_name_and_version_and_keeps_requires_python_per_file()
    {
        var manifest = Read("Acme.Widgets-1.0RC1-py3-none-any.whl",
            PythonDistributions.Wheel("Acme.Widgets", "1.0RC1", "acme", PythonDistributions.Metadata("Acme.Widgets", "V1.0-rc.1", ">=3.8")));

        Assert.Equal("acme-widgets", manifest.Name);
        Assert.Equal("1.0rc1", manifest.Version);
        Assert.False(manifest.OneFilePerVersion);
        Assert.Equal(">=3.8", JsonDocument.Parse(manifest.FileMetadata!).RootElement.GetProperty("requiresPython").GetString());
        Assert.Equal("bdist_wheel", JsonDocument.Parse(manifest.FileMetadata!).RootElement.GetProperty("packageType").GetString());
        Assert.Equal("Acme.Widgets", JsonDocument.Parse(manifest.PackageMetadata!).RootElement.GetProperty("displayName").GetString());
    }

    [Fact]
    public void A_tar_gz_sdist_and_a_zip_sdist_are_read_from_their_pkg_info()
    {
        var tar = Read("acme_tool-2.0.tar.gz", PythonDistributions.Sdist("acme_tool", "2.0", "acme_tool"));
        var zip = Read("acme_tool-2.0.zip", PythonDistributions.Zip([("acme_tool-2.0/PKG-INFO", PythonDistributions.Metadata("acme_tool", "2.0", null))]));

        Assert.Equal(("acme-tool", "2.0"), (tar.Name, tar.Version));
        Assert.Equal(("acme-tool", "2.0"), (zip.Name, zip.Version));
        Assert.Equal("sdist", JsonDocument.Parse(tar.FileMetadata!).RootElement.GetProperty("packageType").GetString());
    }

    [Fact]
    public void An_empty_file_is_refused() => Assert.Contains("is empty", Refusal("x-1.0-py3-none-any.whl", []), StringComparison.Ordinal);

    [Fact]
    public void A_file_that_is_not_an_archive_is_refused()
    {
        Assert.Contains("is not a zip archive", Refusal("x-1.0-py3-none-any.whl", Encoding.UTF8.GetBytes("just text, no zip")), StringComparison.Ordinal);
        Assert.Contains("is not a readable .tar.gz", Refusal("x-1.0.tar.gz", Encoding.UTF8.GetBytes("just text, no gzip")), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("x.whl")]
    [InlineData("x-1.0.whl")]
    [InlineData("x-1.0.exe")]
    [InlineData("noversion.tar.gz")]
    public void A_file_name_that_is_no_distribution_name_is_refused(string filename) =>
        Assert.Contains("is not a Python distribution file name", Refusal(filename, PythonDistributions.Wheel("x", "1.0", "x")), StringComparison.Ordinal);

    [Fact]
    public void A_wheel_without_metadata_or_with_two_is_refused()
    {
        Assert.Contains("has no *.dist-info/METADATA file", Refusal("x-1.0-py3-none-any.whl", PythonDistributions.Zip([("x/__init__.py", "")])), StringComparison.Ordinal);
        Assert.Contains("more than one", Refusal("x-1.0-py3-none-any.whl", PythonDistributions.Zip([
            ("x-1.0.dist-info/METADATA", PythonDistributions.Metadata("x", "1.0")),
            ("y-1.0.dist-info/METADATA", PythonDistributions.Metadata("y", "1.0")),
        ])), StringComparison.Ordinal);
    }

    [Fact]
    public void Metadata_without_a_version_or_that_is_not_headers_is_refused()
    {
        Assert.Contains("must give the package's Name and Version", Refusal("x-1.0-py3-none-any.whl",
            PythonDistributions.Wheel("x", "1.0", "x", "Metadata-Version: 2.1\nName: x\n\n")), StringComparison.Ordinal);
        Assert.Contains("not a 'Field: value' header", Refusal("x-1.0-py3-none-any.whl",
            PythonDistributions.Wheel("x", "1.0", "x", "this is no metadata\n")), StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_name_that_contradicts_the_metadata_is_refused()
    {
        Assert.Contains("says other 1.0", Refusal("x-1.0-py3-none-any.whl",
            PythonDistributions.Wheel("x", "1.0", "x", PythonDistributions.Metadata("other", "1.0"))), StringComparison.Ordinal);
        Assert.Contains("says x 2.0", Refusal("x-1.0.tar.gz", PythonDistributions.Sdist("x", "1.0", "x", PythonDistributions.Metadata("x", "2.0"))), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("-bad", "is not a valid Python project name")]
    [InlineData("bad name", "is not a valid Python project name")]
    [InlineData("npm", "reserved")]
    public void An_invalid_or_reserved_name_is_refused(string name, string message) =>
        Assert.Contains(message, Refusal("x-1.0-py3-none-any.whl", PythonDistributions.Wheel("x", "1.0", "x", PythonDistributions.Metadata(name, "1.0"))),
            StringComparison.Ordinal);

    [Theory]
    [InlineData("banana", "is not a valid PEP 440 version")]
    [InlineData("1.0-foo", "is not a valid PEP 440 version")]
    [InlineData("1!2.0", "epoch")]
    public void A_version_pep_440_rejects_or_the_portal_cannot_store_is_refused(string version, string message) =>
        Assert.Contains(message, Refusal("x-1.0-py3-none-any.whl", PythonDistributions.Wheel("x", "1.0", "x", PythonDistributions.Metadata("x", version))),
            StringComparison.Ordinal);

    [Theory]
    [InlineData("../evil.py")]
    [InlineData("x/../../evil.py")]
    [InlineData("/etc/evil")]
    [InlineData("C:/evil")]
    public void A_wheel_entry_that_leaves_the_folder_is_refused(string entry) =>
        Assert.Contains("unsafe path", Refusal("x-1.0-py3-none-any.whl", PythonDistributions.Zip([
            ("x-1.0.dist-info/METADATA", PythonDistributions.Metadata("x", "1.0")), (entry, "boom"),
        ])), StringComparison.Ordinal);

    [Fact]
    public void An_sdist_entry_or_link_that_leaves_the_folder_is_refused()
    {
        Assert.Contains("unsafe path", Refusal("x-1.0.tar.gz", PythonDistributions.TarGz([
            ("x-1.0/PKG-INFO", PythonDistributions.Metadata("x", "1.0")), ("x-1.0/../../evil", "boom"),
        ])), StringComparison.Ordinal);

        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        using (var tar = new TarWriter(gzip, TarEntryFormat.Pax, leaveOpen: true))
        {
            tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "x-1.0/PKG-INFO")
            {
                DataStream = new MemoryStream(Encoding.UTF8.GetBytes(PythonDistributions.Metadata("x", "1.0"))),
            });
            tar.WriteEntry(new PaxTarEntry(TarEntryType.SymbolicLink, "x-1.0/passwd") { LinkName = "../../etc/passwd" });
        }
        Assert.Contains("points outside the package", Refusal("x-1.0.tar.gz", buffer.ToArray()), StringComparison.Ordinal);
    }

    [Fact]
    public void A_metadata_bomb_is_refused_after_the_cap_whatever_the_headers_say()
    {
        // 64 MiB of one character compresses to a few hundred KiB: reading stops at 1 MiB.
        var bomb = "Metadata-Version: 2.1\nName: x\nVersion: 1.0\n\n" + new string('a', 64 * 1024 * 1024);
        Assert.Contains("is larger than 1024 KiB", Refusal("x-1.0-py3-none-any.whl", PythonDistributions.Zip([("x-1.0.dist-info/METADATA", bomb)])),
            StringComparison.Ordinal);
        Assert.Contains("is larger than 1024 KiB", Refusal("x-1.0.tar.gz", PythonDistributions.TarGz([("x-1.0/PKG-INFO", bomb)])), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1.0", "1.0")]
    [InlineData("v1.0", "1.0")]
    [InlineData("V1.0-RC.1", "1.0rc1")]
    [InlineData("1.0alpha2", "1.0a2")]
    [InlineData("1.0c1", "1.0rc1")]
    [InlineData("1.0a", "1.0a0")]
    [InlineData("1.0-1", "1.0.post1")]
    [InlineData("1.0.rev", "1.0.post0")]
    [InlineData("1.0.DEV", "1.0.dev0")]
    [InlineData("01.002", "1.2")]
    [InlineData("1.0+Ubuntu-01", "1.0+ubuntu.1")]
    [InlineData(" 2.0 ", "2.0")]
    [InlineData("0!1.0", "1.0")]
    [InlineData("banana", null)]
    [InlineData("1.0-foo", null)]
    [InlineData("1..0", null)]
    [InlineData("", null)]
    public void Versions_normalise_as_pep_440_says(string text, string? normalized) => Assert.Equal(normalized, PythonVersion.Normalize(text));

    [Theory]
    [InlineData("Acme_Widgets", "acme-widgets")]
    [InlineData("acme.widgets", "acme-widgets")]
    [InlineData("ACME--._widgets", "acme-widgets")]
    [InlineData("a", "a")]
    public void Names_normalise_as_pep_503_says(string name, string normalized) => Assert.Equal(normalized, PythonNames.Normalize(name));
}
