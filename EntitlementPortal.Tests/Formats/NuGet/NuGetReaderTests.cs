using EntitlementPortal.Features.Formats.NuGet;
using EntitlementPortal.Tests.Support;
using FluentValidation;

namespace EntitlementPortal.Tests.Formats.NuGet;

/// <summary>Reading id and version from a .nupkg, with hostile packages: every refusal is a message the client prints.</summary>
public sealed class NuGetReaderTests : IDisposable
{
    private readonly TempDirectory folder = new();
    private readonly NuGetFormat format = new();

    private async Task<Features.Formats.FormatManifest> ReadAsync(byte[] content)
    {
        var path = Path.Combine(folder.Path, Guid.NewGuid().ToString("N"));
        await File.WriteAllBytesAsync(path, content, TestContext.Current.CancellationToken);
        return await format.ReadAsync(path, "package.nupkg", TestContext.Current.CancellationToken);
    }

    private async Task<string> RefusalAsync(byte[] content) =>
        string.Join(" ", (await Assert.ThrowsAsync<ValidationException>(() => ReadAsync(content))).Errors.Select(e => e.ErrorMessage));

    [Theory]
    [InlineData("Acme.Greeter", "1.2.0", "acme.greeter", "1.2.0")]
    [InlineData("Acme.Greeter", "1.2", "acme.greeter", "1.2.0")]
    [InlineData("Acme.Greeter", "1.2.0.0", "acme.greeter", "1.2.0")]
    [InlineData("Acme.Greeter", "01.002.3", "acme.greeter", "1.2.3")]
    [InlineData("Acme.Greeter", "2.0.0-Beta.1+sha.5114f85", "acme.greeter", "2.0.0-beta.1")]
    [InlineData("Acme.Greeter", "1.2.3.4", "acme.greeter", "1.2.3.4")]
    public async Task Id_and_version_are_stored_as_nuget_compares_them(string id, string version, string storedId, string storedVersion)
    {
        var manifest = await ReadAsync(NuGetTestPackages.Nupkg(id, version));

        Assert.Equal((storedId, storedVersion), (manifest.Name, manifest.Version));
        Assert.Equal($"{storedId}.{storedVersion}.nupkg", manifest.Filename);
        Assert.True(manifest.OneFilePerVersion);
        Assert.Contains($"\"{id}\"", manifest.PackageMetadata, StringComparison.Ordinal);
        Assert.Equal(storedVersion, format.CanonicalVersion(version));
        Assert.Equal(storedId, format.CanonicalName(id.ToUpperInvariant()));
    }

    [Fact]
    public async Task Empty_files_and_non_zips_are_refused() =>
        Assert.Contains("empty", await RefusalAsync([]), StringComparison.Ordinal);

    [Fact]
    public async Task A_file_that_is_not_a_zip_is_refused() =>
        Assert.Contains("not a zip", await RefusalAsync("just text, not a package"u8.ToArray()), StringComparison.Ordinal);

    [Fact]
    public async Task A_zip_without_a_nuspec_or_with_two_is_refused()
    {
        Assert.Contains("no .nuspec", await RefusalAsync(NuGetTestPackages.Zip([("lib/a.dll", "x")])), StringComparison.Ordinal);
        Assert.Contains("more than one", await RefusalAsync(NuGetTestPackages.Zip([
            ("a.nuspec", NuGetTestPackages.Nuspec("A", "1.0.0")), ("b.nuspec", NuGetTestPackages.Nuspec("B", "1.0.0"))])), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("../evil.txt")]
    [InlineData("lib/../../evil.txt")]
    [InlineData("/etc/passwd")]
    [InlineData("C:/Windows/evil.dll")]
    [InlineData("%2E%2E/evil.txt")]
    [InlineData("lib\\..\\..\\evil.txt")]
    public async Task An_entry_that_would_write_outside_the_package_folder_refuses_the_package(string entry) =>
        Assert.Contains("unsafe path", await RefusalAsync(NuGetTestPackages.Nupkg("Acme.Greeter", "1.0.0", (entry, "x"))), StringComparison.Ordinal);

    [Fact]
    public async Task A_nuspec_that_inflates_past_the_cap_is_refused_without_reading_it_whole()
    {
        var bomb = NuGetTestPackages.Nuspec("Acme.Greeter", "1.0.0", $"<summary>{new string(' ', 8 * 1024 * 1024)}</summary>");
        var package = NuGetTestPackages.Zip([("Acme.Greeter.nuspec", bomb)]);

        Assert.True(package.Length < 100_000, "the bomb is small on disk");
        Assert.Contains("larger than 1 MiB", await RefusalAsync(package), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("<package><metadata><version>1.0.0</version></metadata></package>", "no <id>")]
    [InlineData("<package><metadata><id>Acme</id></metadata></package>", "no <version>")]
    [InlineData("<package><metadata><id>Acme</id><version>one</version></metadata></package>", "not a NuGet version")]
    [InlineData("<package><metadata><id>Acme Greeter</id><version>1.0.0</version></metadata></package>", "not a package id")]
    [InlineData("<package><metadata><id>../x</id><version>1.0.0</version></metadata></package>", "not a package id")]
    [InlineData("<package><metadata><id>Acme</id><version>1.0.0", "not valid XML")]
    [InlineData("<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><package><metadata><id>&e;</id><version>1.0.0</version></metadata></package>", "not valid XML")]
    public async Task Missing_or_invalid_metadata_is_refused_with_what_is_wrong(string nuspec, string expected) =>
        Assert.Contains(expected, await RefusalAsync(NuGetTestPackages.Zip([("Acme.nuspec", nuspec)])), StringComparison.Ordinal);

    public void Dispose() => folder.Dispose();
}

/// <summary>What the token page and the download page offer for NuGet.</summary>
public sealed class NuGetSnippetsTests
{
    [Fact]
    public void A_plain_http_portal_gets_allow_insecure_connections_and_the_basic_form_keeps_the_token_out_of_the_url()
    {
        var http = NuGetSnippets.For(new Features.Formats.SnippetContext("http://portal.test:8080", "acme", "ent_secret", ["acme.greeter"]));
        var https = NuGetSnippets.For(new Features.Formats.SnippetContext("https://portal.example.com", "1st-repo", null, []));

        Assert.All(http.Where(s => s.Filename == "nuget.config"), s => Assert.Contains("allowInsecureConnections=\"true\"", s.Text, StringComparison.Ordinal));
        Assert.Contains("http://portal.test:8080/dl/ent_secret/acme/nuget/v3/index.json", http[0].Text, StringComparison.Ordinal);
        Assert.DoesNotContain("ent_secret/", http[1].Text, StringComparison.Ordinal);
        Assert.Contains("value=\"ent_secret\"", http[1].Text, StringComparison.Ordinal);
        Assert.Equal("dotnet add package acme.greeter", http[2].Text);
        Assert.All(https, s => Assert.DoesNotContain("allowInsecureConnections", s.Text, StringComparison.Ordinal));
        // A slug that starts with a digit still gives a valid XML element name for the credentials.
        Assert.Contains("<portal-1st-repo>", https[1].Text, StringComparison.Ordinal);
        Assert.Contains(Features.Formats.SnippetContext.TokenPlaceholder, https[1].Text, StringComparison.Ordinal);
    }
}
