using System.Globalization;
using EntitlementPortal.Components.Shared;

namespace EntitlementPortal.Features.Audit;

/// <summary>What a person picked above the audit grid; <see cref="ToQuery"/> turns it into the service's query.</summary>
public sealed class AuditFilter
{
    private const string DayFormat = "yyyy-MM-dd";

    /// <summary>The filters' keys in the address: <c>?actor=ada&amp;entity=token&amp;action=update&amp;from=2026-11-01&amp;to=2026-11-30</c>.</summary>
    public static readonly string[] UrlKeys = ["actor", "entity", "action", "from", "to"];

    public string? Actor { get; set; }
    public string? EntityType { get; set; }
    public string? Action { get; set; }

    /// <summary>Calendar days, read as UTC days like every time on the page.</summary>
    public DateTime? FromDate { get; set; }

    public DateTime? ToDate { get; set; }

    public AuditQuery ToQuery() => new(
        Actor: string.IsNullOrWhiteSpace(Actor) ? null : Actor.Trim(),
        EntityType: EntityType,
        Action: Action,
        From: FromDate is { } from ? StartOfUtcDay(from) : null,
        // "To 30 Nov" means the whole of 30 Nov: the service bound is inclusive, so stop at the last tick of the day.
        To: ToDate is { } to ? StartOfUtcDay(to).AddDays(1).AddTicks(-1) : null);

    /// <summary>The filters the address names; an unknown entity type or action, or an unreadable day, reads as none.</summary>
    public static AuditFilter FromUrl(ListUrlState url) => new()
    {
        Actor = url.Filter("actor"),
        EntityType = AuditDisplay.EntityTypes.Select(t => t.Value).FirstOrDefault(v => string.Equals(v, url.Filter("entity"), StringComparison.OrdinalIgnoreCase)),
        Action = AuditDisplay.Actions.FirstOrDefault(a => string.Equals(a, url.Filter("action"), StringComparison.OrdinalIgnoreCase)),
        FromDate = Day(url.Filter("from")),
        ToDate = Day(url.Filter("to")),
    };

    public void WriteTo(ListUrlState url)
    {
        url.SetFilter("actor", string.IsNullOrWhiteSpace(Actor) ? null : Actor.Trim());
        url.SetFilter("entity", EntityType);
        url.SetFilter("action", Action);
        url.SetFilter("from", FromDate?.ToString(DayFormat, CultureInfo.InvariantCulture));
        url.SetFilter("to", ToDate?.ToString(DayFormat, CultureInfo.InvariantCulture));
    }

    private static DateTime? Day(string? text) =>
        DateTime.TryParseExact(text, DayFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out var day) ? day : null;

    // The picker hands back a date without a kind; the stored times are UTC and the data layer would
    // otherwise shift an unspecified time by the server's offset.
    private static DateTime StartOfUtcDay(DateTime day) => DateTime.SpecifyKind(day.Date, DateTimeKind.Utc);
}
