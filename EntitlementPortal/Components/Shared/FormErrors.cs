using EntitlementPortal.Features.Shared;
using FluentValidation;

namespace EntitlementPortal.Components.Shared;

/// <summary>
/// Errors the service reported for a form submit, by field (validation, duplicates) or for the whole form
/// (not allowed, not found). Fields bind <c>Error="@errors.Has(nameof(X))" ErrorText="@errors.For(nameof(X))"</c>.
/// </summary>
public sealed class FormErrors
{
    private readonly Dictionary<string, string> byField = new(StringComparer.OrdinalIgnoreCase);

    public string? General { get; private set; }

    public bool Any => General is not null || byField.Count > 0;

    public bool Has(string field) => byField.ContainsKey(field);

    public string? For(string field) => byField.GetValueOrDefault(field);

    public void Clear()
    {
        byField.Clear();
        General = null;
    }

    /// <summary>Records what a service exception says; false for exceptions a form cannot explain (rethrow those).</summary>
    public bool Capture(Exception exception)
    {
        Clear();
        switch (exception)
        {
            case ValidationException validation:
                foreach (var failure in validation.Errors)
                {
                    byField.TryAdd(failure.PropertyName, failure.ErrorMessage);
                }
                General = byField.Count == 0 ? validation.Message : null;
                return true;
            case ConflictException conflict:
                byField[conflict.Field] = conflict.Message;
                return true;
            case ServiceException other:
                General = other.Message;
                return true;
            default:
                return false;
        }
    }
}
