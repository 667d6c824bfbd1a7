using System.Globalization;
using System.Text;
using EntitlementPortal.Data;
using EntitlementPortal.Features.Shared;
using Microsoft.EntityFrameworkCore.ChangeTracking;

namespace EntitlementPortal.Features.Audit;

/// <summary>
/// Adds audit entries to the same context as the change, so the entry and the change commit together
/// or not at all.
/// </summary>
public sealed class AuditTrail(TimeProvider clock)
{
    private const int MaxSummary = 4000;

    // Properties whose values must never reach the log, whatever entity they sit on.
    private static readonly string[] SecretMarkers = ["Secret", "Hash", "Password", "Cipher"];

    public void Record(AppDbContext db, Actor actor, string action, string entityType, string entityId, string summary)
    {
        db.Add(new AuditEntry
        {
            At = clock.GetUtcNow().UtcDateTime,
            ActorId = actor.UserId,
            ActorName = actor.Name,
            Action = action,
            EntityType = entityType,
            EntityId = entityId,
            Summary = summary.Length > MaxSummary ? summary[..(MaxSummary - 1)] + "…" : summary,
            ClientIp = actor.ClientIp,
        });
    }

    /// <summary>"name: 'Old' → 'New'; visibility: Private → Public" for every modified, non-secret property.</summary>
    public static string DescribeChanges(EntityEntry entry)
    {
        var text = new StringBuilder();
        foreach (var property in entry.Properties)
        {
            var name = property.Metadata.Name;
            if (!property.IsModified || name is "UpdatedAt" || IsSecret(name)
                || Equals(property.OriginalValue, property.CurrentValue))
            {
                continue;
            }
            if (text.Length > 0)
            {
                text.Append("; ");
            }
            text.Append(CultureInfo.InvariantCulture, $"{Camel(name)}: {Show(property.OriginalValue)} → {Show(property.CurrentValue)}");
        }
        return text.Length == 0 ? "no changes" : text.ToString();
    }

    public static bool IsSecret(string propertyName) =>
        SecretMarkers.Any(marker => propertyName.Contains(marker, StringComparison.Ordinal));

    private static string Camel(string name) => char.ToLowerInvariant(name[0]) + name[1..];

    private static string Show(object? value) => value switch
    {
        null => "(none)",
        string s when s.Length == 0 => "(none)",
        string s => $"'{(s.Length > 200 ? s[..200] + "…" : s)}'",
        DateTime d => d.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        bool b => b ? "yes" : "no",
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
    };
}
