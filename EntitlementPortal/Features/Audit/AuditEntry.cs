namespace EntitlementPortal.Features.Audit;

/// <summary>One change made by someone: who, when, what, from where. Never holds a secret.</summary>
public sealed class AuditEntry
{
    public long Id { get; set; }
    public DateTime At { get; set; }
    public string? ActorId { get; set; }
    public required string ActorName { get; set; }
    public required string Action { get; set; }
    public required string EntityType { get; set; }
    public required string EntityId { get; set; }
    public required string Summary { get; set; }
    public string? ClientIp { get; set; }
}

/// <summary>The verbs of the audit log; stored as these strings.</summary>
public static class AuditActions
{
    public const string Create = "create";
    public const string Update = "update";
    public const string Delete = "delete";
    public const string Revoke = "revoke";
    public const string Reinstate = "reinstate";
    public const string Grant = "grant";
    public const string AcceptEula = "accept-eula";
}

public static class AuditEntityTypes
{
    public const string Repository = "repository";
    public const string Customer = "customer";
    public const string ApiKey = "api-key";
    public const string Package = "package";
    public const string Token = "token";
    public const string Team = "team";
    public const string User = "user";
    public const string Webhook = "webhook";
}
