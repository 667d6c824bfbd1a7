namespace EntitlementPortal.Features.Tokens;

/// <summary>
/// The small read-only queries the token pages need beside the token services: kept apart so each stays one job and
/// the token service's own API (and the JSON the contract fixes) does not grow for page-only facts.
/// </summary>
public static class TokenPageQueries
{
    public static IServiceCollection AddTokenPageQueries(this IServiceCollection services) => services
        .AddScoped<TokenCustomerStanding>()
        .AddScoped<ScopedTokenCounts>()
        .AddScoped<TokenRepositoryChoices>()
        .AddScoped<DownloadableFiles>();
}
