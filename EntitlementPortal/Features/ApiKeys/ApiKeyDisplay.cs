using System.Globalization;

namespace EntitlementPortal.Features.ApiKeys;

/// <summary>How API keys read on screen.</summary>
public static class ApiKeyDisplay
{
    public static string LastUsed(DateTime? at) => at is { } used ? Components.Shared.Display.Utc(used) : "never";

    /// <summary>"epk_abcd1234…": enough to tell keys apart, never enough to use one.</summary>
    public static string Prefix(ApiKeyView key) => key.Prefix + "…";
}
