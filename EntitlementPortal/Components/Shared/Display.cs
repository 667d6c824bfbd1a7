using System.Globalization;

namespace EntitlementPortal.Components.Shared;

/// <summary>How values read on screen everywhere in the portal: times in UTC, missing values as a dash.</summary>
public static class Display
{
    public const string Missing = "—";

    public static string Utc(DateTime at) => at.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + " UTC";

    public static string Utc(DateTime? at) => at is { } value ? Utc(value) : Missing;

    /// <summary>A calendar day (e.g. when a subscription ends), without a time.</summary>
    public static string Date(DateTime? day) => day is { } value ? value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : Missing;

    public static string Text(string? value) => string.IsNullOrWhiteSpace(value) ? Missing : value;
}
