namespace EntitlementPortal.Features.Webhooks;

/// <summary>The events a subscription can ask for, as the contract names them.</summary>
public static class WebhookEventNames
{
    public const string TokenCreated = "token.created";
    public const string TokenUpdated = "token.updated";
    public const string TokenDisabled = "token.disabled";
    public const string TokenEnabled = "token.enabled";
    public const string TokenRefreshed = "token.refreshed";
    public const string TokenDeleted = "token.deleted";
    public const string TokenLimitReached = "token.limit_reached";
    public const string TokenExpiring = "token.expiring";
    public const string CustomerRevoked = "customer.revoked";
    public const string CustomerReinstated = "customer.reinstated";
    public const string CustomerSubscriptionExpiring = "customer.subscription_expiring";
    public const string PackageCreated = "package.created";
    public const string PackageDeleted = "package.deleted";
    public const string DownloadRefused = "download.refused";

    /// <summary>Sent by "send test event" only; nobody subscribes to it.</summary>
    public const string Test = "webhook.test";

    public static IReadOnlyList<string> All { get; } =
    [
        TokenCreated, TokenUpdated, TokenDisabled, TokenEnabled, TokenRefreshed, TokenDeleted, TokenLimitReached,
        TokenExpiring, CustomerRevoked, CustomerReinstated, CustomerSubscriptionExpiring, PackageCreated,
        PackageDeleted, DownloadRefused,
    ];

    public static bool Exists(string name) => All.Contains(name, StringComparer.Ordinal);

    /// <summary>How a subscription stores its events: space-separated, in the order of <see cref="All"/>.</summary>
    public static string Join(IEnumerable<string> events)
    {
        var wanted = events.ToHashSet(StringComparer.Ordinal);
        return string.Join(' ', All.Where(wanted.Contains));
    }

    public static IReadOnlyList<string> Split(string stored) =>
        stored.Split(' ', StringSplitOptions.RemoveEmptyEntries);
}
