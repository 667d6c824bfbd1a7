using EntitlementPortal.Features.Packages.Query;
using EntitlementPortal.Features.Shared;
using FluentValidation;

namespace EntitlementPortal.Features.Tokens;

public sealed class TokenInputValidator : AbstractValidator<TokenInput>
{
    public TokenInputValidator()
    {
        RuleFor(t => t.Name).NotEmpty().WithMessage("Name is required.").MaximumLength(TokenRules.NameMaxLength);
        RuleFor(t => t.Token)
            .Must(secret => TokenSecret.CustomSecretProblem(secret) is null)
            .WithMessage(t => TokenSecret.CustomSecretProblem(t.Token)!)
            .When(t => !string.IsNullOrEmpty(t.Token));
        RuleFor(t => t.LimitDownloads).GreaterThan(0).WithMessage("Download limit must be at least 1 (leave it empty for no limit).");
        RuleFor(t => t.LimitClients).GreaterThan(0).WithMessage("Client limit must be at least 1 (leave it empty for no limit).");
        RuleFor(t => t.LimitBandwidthBytes).GreaterThan(0).WithMessage("Bandwidth limit must be more than 0 bytes (leave it empty for no limit).");
        RuleFor(t => t.LimitDateTo)
            .GreaterThan(t => t.LimitDateFrom).WithMessage("The end of the date window must be after its start.")
            .When(t => t.LimitDateFrom is not null && t.LimitDateTo is not null);
        RuleFor(t => t.LimitPackageQuery)
            .MaximumLength(TokenRules.PackageQueryMaxLength)
            .Must(query => PackageQuery.TryParse(query).IsValid)
            .WithMessage(t => "Package query: " + PackageQuery.TryParse(t.LimitPackageQuery).Error!.Message)
            // The canonical form is what is stored, and it can be longer than what was typed ("a b" → "name:a AND name:b").
            .Must(query => PackageQuery.TryParse(query).Query?.Normalized.Length is null or <= TokenRules.PackageQueryMaxLength)
            .WithMessage($"Package query: too long once written out in full (at most {TokenRules.PackageQueryMaxLength} characters).")
            .When(t => !string.IsNullOrWhiteSpace(t.LimitPackageQuery));
        RuleFor(t => t.AllowedCidrs)
            .Must(cidrs => CidrList.Normalize(cidrs).Problem is null)
            .WithMessage(t => CidrList.Normalize(t.AllowedCidrs).Problem!);
        RuleFor(t => t.ResetPeriod).IsInEnum();
        RuleFor(t => t.AfterExpiry).IsInEnum();
        RuleFor(t => t.MetadataJson)
            .Must(json => JsonMetadata.Problem(json) is null)
            .WithMessage(t => JsonMetadata.Problem(t.MetadataJson)!);
    }
}
