using EntitlementPortal.Features.Packages;
using FluentValidation;

namespace EntitlementPortal.Tests.Packages;

public sealed class PackageFilenameTests
{
    [Theory]
    [InlineData("../x")]
    [InlineData("..\\x")]
    [InlineData("a/b")]
    [InlineData("/etc/passwd")]
    [InlineData("C:\\temp\\x.zip")]
    [InlineData("a\0b")]
    [InlineData("bad\nname")]
    [InlineData("tab\there")]
    [InlineData("\u202Egpj.exe")]
    [InlineData(".")]
    [InlineData("..")]
    [InlineData("")]
    [InlineData(" leading.zip")]
    [InlineData("trailing.zip ")]
    [InlineData("trailing.")]
    [InlineData("CON")]
    [InlineData("nul.txt")]
    [InlineData("Com1.tar.gz")]
    [InlineData("x:stream")]
    public void Hostile_names_are_refused_with_a_message_keyed_file(string name)
    {
        Assert.NotNull(PackageFilename.Problem(name));

        var error = Assert.Throws<ValidationException>(() => PackageFilename.Sanitize(name));
        var failure = Assert.Single(error.Errors);
        Assert.Equal("file", failure.PropertyName);
        Assert.False(string.IsNullOrWhiteSpace(failure.ErrorMessage));
    }

    [Fact]
    public void Path_separators_are_named_in_the_message()
    {
        Assert.Contains("'/'", PackageFilename.Problem("../x"));
    }

    [Fact]
    public void Null_and_lone_surrogates_are_refused_not_crashing()
    {
        Assert.NotNull(PackageFilename.Problem(null));
        Assert.Throws<ValidationException>(() => PackageFilename.Sanitize("bad\uD800.zip"));
    }

    [Fact]
    public void Names_longer_than_255_characters_are_refused_and_255_are_fine()
    {
        Assert.Contains("255", PackageFilename.Problem(new string('a', 252) + ".zip"));
        Assert.Equal(new string('a', 251) + ".zip", PackageFilename.Sanitize(new string('a', 251) + ".zip"));
    }

    [Theory]
    [InlineData("acme-agent-2.0.0.tar.gz")]
    [InlineData("Überwachung_Ä.zip")]
    [InlineData("日本語のファイル.bin")]
    [InlineData("emoji-😀.txt")]
    [InlineData("with space.zip")]
    [InlineData(".hidden")]
    [InlineData("console.log")]
    public void Ordinary_and_unicode_names_are_kept(string name)
    {
        Assert.Null(PackageFilename.Problem(name));
        Assert.Equal(name, PackageFilename.Sanitize(name));
    }

    [Fact]
    public void Decomposed_unicode_is_stored_composed()
    {
        var decomposed = "Cafe\u0301.zip";

        Assert.Equal("Caf\u00E9.zip", PackageFilename.Sanitize(decomposed));
    }
}
