namespace EntitlementPortal.Features.Audit;

/// <summary>What a person picked above the audit grid; <see cref="ToQuery"/> turns it into the service's query.</summary>
public sealed class AuditFilter
{
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

    // The picker hands back a date without a kind; the stored times are UTC and the data layer would
    // otherwise shift an unspecified time by the server's offset.
    private static DateTime StartOfUtcDay(DateTime day) => DateTime.SpecifyKind(day.Date, DateTimeKind.Utc);
}
