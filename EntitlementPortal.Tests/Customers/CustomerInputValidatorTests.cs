using EntitlementPortal.Features.Customers;
using EntitlementPortal.Features.Shared;

namespace EntitlementPortal.Tests.Customers;

public sealed class CustomerInputValidatorTests
{
    private readonly CustomerInputValidator validator = new();

    private static CustomerInput Valid() => new()
    {
        Name = "Acme Ltd",
        Email = "billing@acme.example",
        Company = "Acme",
        ExternalRef = "cus_123",
        LicenseKey = "LIC-1",
        Plan = "Gold",
        Notes = "Pays yearly.",
        MetadataJson = "{\"seats\": 10}",
    };

    private string[] ErrorsFor(CustomerInput input, string property) =>
        validator.Validate(input).Errors.Where(e => e.PropertyName == property).Select(e => e.ErrorMessage).ToArray();

    [Fact]
    public void A_complete_customer_is_valid()
    {
        Assert.True(validator.Validate(Valid()).IsValid);
    }

    [Fact]
    public void Only_the_name_is_required()
    {
        Assert.True(validator.Validate(new CustomerInput { Name = "Acme" }).IsValid);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void Name_is_required(string name)
    {
        var input = Valid();
        input.Name = name;

        Assert.Equal(["Name is required."], ErrorsFor(input, nameof(CustomerInput.Name)));
    }

    [Theory]
    [InlineData("not-an-email")]
    [InlineData("two@@example.com")]
    [InlineData("@example.com")]
    public void Email_must_look_like_an_address(string email)
    {
        var input = Valid();
        input.Email = email;

        Assert.Equal(["Email is not a valid email address."], ErrorsFor(input, nameof(CustomerInput.Email)));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void Email_is_optional(string? email)
    {
        var input = Valid();
        input.Email = email;

        Assert.Empty(ErrorsFor(input, nameof(CustomerInput.Email)));
    }

    [Theory]
    [InlineData(nameof(CustomerInput.Name), CustomerRules.NameMaxLength)]
    [InlineData(nameof(CustomerInput.Company), CustomerRules.NameMaxLength)]
    [InlineData(nameof(CustomerInput.ExternalRef), CustomerRules.ReferenceMaxLength)]
    [InlineData(nameof(CustomerInput.LicenseKey), CustomerRules.ReferenceMaxLength)]
    [InlineData(nameof(CustomerInput.Plan), CustomerRules.ReferenceMaxLength)]
    [InlineData(nameof(CustomerInput.Notes), CustomerRules.NotesMaxLength)]
    public void Text_fields_have_a_maximum_length(string property, int maxLength)
    {
        var atLimit = Valid();
        var overLimit = Valid();
        typeof(CustomerInput).GetProperty(property)!.SetValue(atLimit, new string('x', maxLength));
        typeof(CustomerInput).GetProperty(property)!.SetValue(overLimit, new string('x', maxLength + 1));

        Assert.Empty(ErrorsFor(atLimit, property));
        Assert.Single(ErrorsFor(overLimit, property));
    }

    [Fact]
    public void Email_has_a_maximum_length()
    {
        var input = Valid();
        input.Email = new string('a', CustomerRules.EmailMaxLength) + "@example.com";

        Assert.NotEmpty(ErrorsFor(input, nameof(CustomerInput.Email)));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("{}")]
    [InlineData("{\"nested\": {\"list\": [1, 2]}}")]
    public void Metadata_may_be_empty_or_an_object(string? metadata)
    {
        var input = Valid();
        input.MetadataJson = metadata;

        Assert.Empty(ErrorsFor(input, nameof(CustomerInput.MetadataJson)));
    }

    [Fact]
    public void Metadata_as_an_array_must_be_a_json_object()
    {
        var input = Valid();
        input.MetadataJson = "[1]";

        var error = Assert.Single(ErrorsFor(input, nameof(CustomerInput.MetadataJson)));
        Assert.Equal("Metadata must be a JSON object ({ ... }), not an array.", error);
    }

    [Fact]
    public void Invalid_metadata_says_where()
    {
        var input = Valid();
        input.MetadataJson = "{\"seats\": }";

        var error = Assert.Single(ErrorsFor(input, nameof(CustomerInput.MetadataJson)));
        Assert.Equal("Metadata is not valid JSON at line 1, position 11.", error);
    }

    [Fact]
    public void Too_large_metadata_is_refused()
    {
        var input = Valid();
        input.MetadataJson = "{\"blob\": \"" + new string('x', JsonMetadata.MaxLength) + "\"}";

        var error = Assert.Single(ErrorsFor(input, nameof(CustomerInput.MetadataJson)));
        Assert.Equal("Metadata must be at most 16 KiB.", error);
    }
}
