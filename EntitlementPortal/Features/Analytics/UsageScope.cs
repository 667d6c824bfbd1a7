using EntitlementPortal.Features.Downloads;

namespace EntitlementPortal.Features.Analytics;

/// <summary>
/// Whose usage is read: one customer's tokens (the customer named on each event and rollup day, that is who owned
/// the token then) or one token. The same figures are computed for both, so the two views can never disagree.
/// </summary>
public sealed record UsageScope
{
    private UsageScope(int? customerId, string? repo, int? tokenId)
    {
        CustomerId = customerId;
        Repo = repo;
        TokenId = tokenId;
    }

    public int? CustomerId { get; }

    /// <summary>The repository of <see cref="TokenId"/>: who may see a token is decided per repository.</summary>
    public string? Repo { get; }

    public int? TokenId { get; }

    public static UsageScope ForCustomer(int customerId) => new(customerId, null, null);

    public static UsageScope ForToken(string repo, int tokenId) => new(null, repo, tokenId);

    public IQueryable<DownloadEvent> Apply(IQueryable<DownloadEvent> events) => TokenId is { } tokenId
        ? events.Where(e => e.TokenId == tokenId)
        : events.Where(e => e.CustomerId == CustomerId);

    public IQueryable<TokenDailyUsage> Apply(IQueryable<TokenDailyUsage> rollup) => TokenId is { } tokenId
        ? rollup.Where(u => u.TokenId == tokenId)
        : rollup.Where(u => u.CustomerId == CustomerId);

    public IQueryable<TokenDailyRefusal> Apply(IQueryable<TokenDailyRefusal> rollup) => TokenId is { } tokenId
        ? rollup.Where(r => r.TokenId == tokenId)
        : rollup.Where(r => r.CustomerId == CustomerId);

    public IQueryable<TokenDailyPackageDownload> Apply(IQueryable<TokenDailyPackageDownload> rollup) => TokenId is { } tokenId
        ? rollup.Where(p => p.TokenId == tokenId)
        : rollup.Where(p => p.CustomerId == CustomerId);
}
