using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using FluentValidation;
using FluentValidation.Results;

namespace EntitlementPortal.Features.Api;

/// <summary>
/// PATCH semantics: only the fields present in the body change; <c>null</c> clears a field. Unknown fields
/// are an error (a typo must not silently do nothing).
/// </summary>
public static class JsonMerge
{
    public static T Apply<T>(T target, JsonObject patch, JsonSerializerOptions options) where T : class
    {
        var properties = typeof(T).GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanWrite && p.GetCustomAttribute<JsonIgnoreAttribute>() is null)
            .ToDictionary(p => JsonName(p, options), StringComparer.OrdinalIgnoreCase);

        var failures = new List<ValidationFailure>();
        foreach (var (name, value) in patch)
        {
            if (!properties.TryGetValue(name, out var property))
            {
                failures.Add(new ValidationFailure(name, $"'{name}' is not a field of this resource."));
                continue;
            }
            if (value is null && property.PropertyType.IsValueType && Nullable.GetUnderlyingType(property.PropertyType) is null)
            {
                failures.Add(new ValidationFailure(property.Name, $"'{name}' cannot be null."));
                continue;
            }
            try
            {
                property.SetValue(target, value is null ? null : value.Deserialize(property.PropertyType, options));
            }
            catch (Exception ex) when (ex is JsonException or InvalidOperationException or ArgumentException)
            {
                failures.Add(new ValidationFailure(property.Name, $"'{name}' has a value of the wrong type or format."));
            }
        }
        if (failures.Count > 0)
        {
            throw new ValidationException(failures);
        }
        return target;
    }

    private static string JsonName(PropertyInfo property, JsonSerializerOptions options) =>
        property.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name
        ?? options.PropertyNamingPolicy?.ConvertName(property.Name)
        ?? property.Name;
}
