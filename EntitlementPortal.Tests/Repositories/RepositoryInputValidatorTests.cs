using EntitlementPortal.Features.Repositories;

namespace EntitlementPortal.Tests.Repositories;

public sealed class RepositoryInputValidatorTests
{
    private readonly RepositoryInputValidator validator = new();

    private static RepositoryInput Valid() => new() { Slug = "acme-tools", Name = "Acme tools", Description = "Internal builds." };

    private string[] ErrorsFor(RepositoryInput input, string property) =>
        validator.Validate(input).Errors.Where(e => e.PropertyName == property).Select(e => e.ErrorMessage).ToArray();

    [Theory]
    [InlineData("ab")]
    [InlineData("acme")]
    [InlineData("acme-tools-2")]
    [InlineData("0day")]
    [InlineData("a1")]
    public void Accepts_lowercase_slugs_of_letters_digits_and_inner_hyphens(string slug)
    {
        var input = Valid();
        input.Slug = slug;

        Assert.True(validator.Validate(input).IsValid);
    }

    [Fact]
    public void Accepts_a_slug_of_exactly_the_maximum_length()
    {
        var input = Valid();
        input.Slug = new string('a', RepositoryRules.SlugMaxLength);

        Assert.True(validator.Validate(input).IsValid);
    }

    [Fact]
    public void Requires_a_slug()
    {
        var input = Valid();
        input.Slug = "";

        Assert.Contains("Slug is required.", ErrorsFor(input, nameof(RepositoryInput.Slug)));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(65)]
    public void Rejects_a_slug_that_is_too_short_or_too_long(int length)
    {
        var input = Valid();
        input.Slug = new string('a', length);

        Assert.Contains("Slug must be 2 to 64 characters.", ErrorsFor(input, nameof(RepositoryInput.Slug)));
    }

    [Theory]
    [InlineData("Acme")]
    [InlineData("acme-Tools")]
    [InlineData("-acme")]
    [InlineData("acme-")]
    [InlineData("acme tools")]
    [InlineData("acme_tools")]
    [InlineData("acme.tools")]
    public void Rejects_uppercase_and_leading_or_trailing_hyphens_and_other_characters(string slug)
    {
        var input = Valid();
        input.Slug = slug;

        var errors = ErrorsFor(input, nameof(RepositoryInput.Slug));

        Assert.Contains(errors, e => e.StartsWith("Slug may contain only lowercase letters", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("public")]
    [InlineData("basic")]
    [InlineData("api")]
    public void Rejects_the_reserved_words_download_and_api_routes_use(string slug)
    {
        var input = Valid();
        input.Slug = slug;

        Assert.Equal([$"'{slug}' is reserved; choose another slug."], ErrorsFor(input, nameof(RepositoryInput.Slug)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void Requires_a_name(string name)
    {
        var input = Valid();
        input.Name = name;

        Assert.Equal(["Name is required."], ErrorsFor(input, nameof(RepositoryInput.Name)));
    }

    [Fact]
    public void Limits_the_name_length()
    {
        var input = Valid();
        input.Name = new string('n', RepositoryRules.NameMaxLength);
        Assert.True(validator.Validate(input).IsValid);

        input.Name += "n";
        Assert.Single(ErrorsFor(input, nameof(RepositoryInput.Name)));
    }

    [Fact]
    public void Limits_the_description_length_and_allows_none()
    {
        var input = Valid();
        input.Description = null;
        Assert.True(validator.Validate(input).IsValid);

        input.Description = new string('d', RepositoryRules.DescriptionMaxLength + 1);
        Assert.Single(ErrorsFor(input, nameof(RepositoryInput.Description)));
    }

    [Fact]
    public void Rejects_an_unknown_visibility()
    {
        var input = Valid();
        input.Visibility = (RepositoryVisibility)7;

        Assert.Equal(["Visibility must be private or public."], ErrorsFor(input, nameof(RepositoryInput.Visibility)));
    }

    [Theory]
    [InlineData("Acme builds", "acme-builds")]
    [InlineData("  Acme -- Builds!  ", "acme-builds")]
    [InlineData("Ünïx Tööls", "unix-tools")]
    [InlineData("C++ / C# SDK 2.0", "c-c-sdk-2-0")]
    [InlineData("!!!", "")]
    public void A_suggested_slug_keeps_only_what_a_slug_allows(string name, string slug)
    {
        var suggested = RepositoryRules.SuggestSlug(name);

        Assert.Equal(slug, suggested);
        Assert.True(suggested.Length == 0 || RepositoryRules.SlugPattern().IsMatch(suggested), suggested);
    }

    [Fact]
    public void A_suggested_slug_is_never_longer_than_a_slug_may_be()
    {
        var suggested = RepositoryRules.SuggestSlug(new string('a', 63) + " b");

        Assert.Equal(new string('a', 63), suggested);
    }
}
