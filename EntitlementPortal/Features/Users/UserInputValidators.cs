using EntitlementPortal.Identity;
using FluentValidation;

namespace EntitlementPortal.Features.Users;

internal static class UserFieldRules
{
    public static void Email<T>(this IRuleBuilder<T, string> rule) =>
        rule.NotEmpty().WithMessage("Email is required.")
            .MaximumLength(UserRules.EmailMaxLength)
            .EmailAddress().WithMessage("Email is not a valid email address.");

    public static void Name<T>(this IRuleBuilder<T, string?> rule) =>
        rule.MaximumLength(UserRules.NameMaxLength);

    public static void Roles<T>(this IRuleBuilder<T, List<string>> rule) =>
        rule.Must(roles => roles.All(Identity.Roles.All.Contains))
            .WithMessage($"Roles must be among: {string.Join(", ", Identity.Roles.All)}.");
}

public sealed class NewUserInputValidator : AbstractValidator<NewUserInput>
{
    public NewUserInputValidator()
    {
        RuleFor(u => u.Email).Email();
        RuleFor(u => u.Name).Name();
        RuleFor(u => u.Roles).Roles();
        // The password's own rules are Identity's (PortalIdentityRegistration); the service reports its verdict
        // under "password", so there is one set of password rules, not two.
    }
}

public sealed class UserChangesValidator : AbstractValidator<UserChanges>
{
    public UserChangesValidator()
    {
        RuleFor(u => u.Email).Email();
        RuleFor(u => u.Name).Name();
        RuleFor(u => u.Roles).Roles();
    }
}
