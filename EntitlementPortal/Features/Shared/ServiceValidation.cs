using FluentValidation;

namespace EntitlementPortal.Features.Shared;

public static class ServiceValidation
{
    /// <summary>Runs the validator and throws FluentValidation's ValidationException with every failure.</summary>
    public static async Task EnsureValidAsync<T>(this IValidator<T> validator, T instance, CancellationToken cancellationToken)
    {
        var result = await validator.ValidateAsync(instance, cancellationToken);
        if (!result.IsValid)
        {
            throw new ValidationException(result.Errors);
        }
    }

    /// <summary>
    /// Adapter for MudForm's per-field Validation: the same validator the service runs, one property at a time.
    /// </summary>
    public static Func<object, string, Task<IEnumerable<string>>> ForField<T>(this IValidator<T> validator) =>
        async (model, propertyName) =>
        {
            var result = await validator.ValidateAsync(
                ValidationContext<T>.CreateWithOptions((T)model, options => options.IncludeProperties(propertyName)));
            return result.IsValid ? [] : result.Errors.Select(e => e.ErrorMessage);
        };
}
