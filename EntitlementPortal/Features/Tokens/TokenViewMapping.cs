namespace EntitlementPortal.Features.Tokens;

/// <summary>
/// The one mapping from a stored token to what pages and the API show, shared by standard and user tokens so
/// both carry the same JSON field names. A deleted token never shows its secret.
/// </summary>
internal static class TokenViewMapping
{
    public static TokenView ToView(EntitlementToken t, string repo, string? customerName, string? secret) => new(
        t.Id, t.Kind, repo, t.Name, t.CustomerId, customerName, t.UserId, t.IsActive, t.IsDeleted,
        t.LimitDateFrom, t.LimitDateTo, t.LimitDownloads, t.LimitClients, t.LimitBandwidthBytes, t.LimitPackageQuery,
        CidrList.FromStored(t.AllowedCidrs), t.ResetPeriod, t.NextResetAt, t.MetadataJson,
        t.Downloads, t.Clients, t.BandwidthBytes, t.LastDownloadAt, t.LastClientIp,
        t.CreatedAt, t.CreatedBy, t.UpdatedAt, t.RefreshedAt, t.SecretHint, t.IsDeleted ? null : secret)
    {
        EulaRequired = t.EulaRequired,
        EulaAcceptedAt = t.EulaAcceptedAt,
        EulaAcceptedFrom = t.EulaAcceptedFrom,
        AfterExpiry = t.AfterExpiry,
    };
}
