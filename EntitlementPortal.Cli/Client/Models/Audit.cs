namespace EntitlementPortal.Cli.Client.Models;

public sealed record AuditEntryView(
    long Id, DateTime At, string? ActorId, string ActorName, string Action, string EntityType, string EntityId,
    string Summary, string? ClientIp);

public sealed record AuditFilter(
    string? Actor = null, string? EntityType = null, string? EntityId = null, string? Action = null,
    DateTime? From = null, DateTime? To = null);
