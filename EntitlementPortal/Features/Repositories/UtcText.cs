using System.Globalization;

namespace EntitlementPortal.Features.Repositories;

/// <summary>Stored times are UTC; the portal says so rather than guessing the reader's time zone.</summary>
internal static class UtcText
{
    public static string Format(DateTime utc) =>
        utc.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + " UTC";
}
