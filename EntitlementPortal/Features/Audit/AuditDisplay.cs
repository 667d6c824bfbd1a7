using System.Globalization;
using MudBlazor;

namespace EntitlementPortal.Features.Audit;

/// <summary>How the audit log reads on screen: the product's words for its codes, times in UTC.</summary>
public static class AuditDisplay
{
    public static IReadOnlyList<(string Value, string Label)> EntityTypes { get; } =
    [
        (AuditEntityTypes.Repository, "Repository"),
        (AuditEntityTypes.Customer, "Customer"),
        (AuditEntityTypes.ApiKey, "API key"),
        (AuditEntityTypes.Token, "Token"),
        (AuditEntityTypes.Package, "Package"),
        (AuditEntityTypes.Team, "Team"),
    ];

    public static IReadOnlyList<string> Actions { get; } =
        [AuditActions.Create, AuditActions.Update, AuditActions.Delete, AuditActions.Revoke, AuditActions.Reinstate, AuditActions.Grant];

    public static string EntityTypeLabel(string entityType) =>
        EntityTypes.FirstOrDefault(t => t.Value == entityType).Label ?? entityType;

    public static Color ActionColor(string action) => action switch
    {
        AuditActions.Create => Color.Success,
        AuditActions.Update => Color.Info,
        AuditActions.Delete => Color.Error,
        AuditActions.Revoke => Color.Warning,
        AuditActions.Reinstate => Color.Primary,
        AuditActions.Grant => Color.Secondary,
        _ => Color.Default,
    };
}
