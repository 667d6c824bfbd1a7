using EntitlementPortal.Features.Shared;
using FluentValidation;

namespace EntitlementPortal.Features.Customers;

public static class CustomerRules
{
    public const int NameMaxLength = 200;
    public const int EmailMaxLength = 256;
    public const int ReferenceMaxLength = 100;
    public const int NotesMaxLength = 4000;
}

public sealed class CustomerInputValidator : AbstractValidator<CustomerInput>
{
    public CustomerInputValidator()
    {
        RuleFor(c => c.Name).NotEmpty().WithMessage("Name is required.").MaximumLength(CustomerRules.NameMaxLength);
        RuleFor(c => c.Email)
            .MaximumLength(CustomerRules.EmailMaxLength)
            .EmailAddress().WithMessage("Email is not a valid email address.")
            .When(c => !string.IsNullOrWhiteSpace(c.Email));
        RuleFor(c => c.Company).MaximumLength(CustomerRules.NameMaxLength);
        RuleFor(c => c.ExternalRef).MaximumLength(CustomerRules.ReferenceMaxLength);
        RuleFor(c => c.LicenseKey).MaximumLength(CustomerRules.ReferenceMaxLength);
        RuleFor(c => c.Plan).MaximumLength(CustomerRules.ReferenceMaxLength);
        RuleFor(c => c.Notes).MaximumLength(CustomerRules.NotesMaxLength);
        RuleFor(c => c.MetadataJson)
            .Must(json => JsonMetadata.Problem(json) is null)
            .WithMessage(c => JsonMetadata.Problem(c.MetadataJson)!);
    }
}
