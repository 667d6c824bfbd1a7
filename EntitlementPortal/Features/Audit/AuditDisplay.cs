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
        (AuditEntityTypes.Webhook, "Webhook"),
    ];

    public static IReadOnlyList<string> Actions { get; } =
        [AuditActions.Create, AuditActions.Update, AuditActions.Delete, AuditActions.Revoke, AuditActions.Reinstate, AuditActions.Grant];

    public static string EntityTypeLabel(string entityType) =>
        EntityTypes.FirstOrDefault(t => t.Value == entityType).Label ?? entityType;

    /// <summary>
    /// Where the entity an entry names can be seen, or null (API keys, users and deleted things have no page to
    /// open; a token needs its repository, which <paramref name="tokenRepositories"/> gives).
    /// </summary>
    public static string? EntityHref(string entityType, string entityId, IReadOnlyDictionary<int, string> tokenRepositories)
    {
        var escaped = Uri.EscapeDataString(entityId);
        switch (entityType)
        {
            case AuditEntityTypes.Repository:
                return $"repositories/{escaped}";
            case AuditEntityTypes.Customer:
                return int.TryParse(entityId, NumberStyles.None, CultureInfo.InvariantCulture, out _) ? $"customers/{escaped}" : null;
            case AuditEntityTypes.Team:
                return $"teams?q={escaped}";
            case AuditEntityTypes.Webhook:
                return int.TryParse(entityId, NumberStyles.None, CultureInfo.InvariantCulture, out _) ? $"webhooks/{escaped}" : null;
            case AuditEntityTypes.Token:
                return int.TryParse(entityId, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && tokenRepositories.TryGetValue(id, out var repo)
                    ? $"repositories/{Uri.EscapeDataString(repo)}/tokens/{id}"
                    : null;
            case AuditEntityTypes.Package:
                // "repo/name/version": the repository's package list, searched for that name.
                var parts = entityId.Split('/');
                return parts.Length == 3
                    ? $"packages?repo={Uri.EscapeDataString(parts[0])}&q={Uri.EscapeDataString(parts[1])}"
                    : null;
            default:
                return null;
        }
    }

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
