using System.Text.Json;

namespace EntitlementPortal.Components.Shared;

/// <summary>
/// Whether a form's model still holds what the dialog opened with. Compared by value, so typing something and
/// deleting it again is not a change worth asking about.
/// </summary>
public sealed class FormBaseline
{
    private string? baseline;

    public void Take(object model) => baseline = Serialize(model);

    public bool Differs(object model) => baseline is not null && Serialize(model) != baseline;

    private static string Serialize(object model) => JsonSerializer.Serialize(model, model.GetType());
}
