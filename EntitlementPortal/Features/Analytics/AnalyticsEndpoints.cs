using EntitlementPortal.Features.Shared;

namespace EntitlementPortal.Features.Analytics;

public static class AnalyticsEndpoints
{
    public static void MapAnalyticsApi(this RouteGroupBuilder api)
    {
        api.MapGet("/repos/{repo}/metrics", async (string repo, string? from, string? to, string? tokens,
                RepositoryMetricsService service, HttpContext http, CancellationToken ct) =>
            TypedResults.Ok(await service.GetAsync(Actor.From(http), repo, AnalyticsPeriod.Parse(from, to),
                RepositoryMetricsService.ParseTokenIds(tokens), ct)))
            .WithTags("Analytics")
            .WithSummary("Get repository metrics").WithDescription("Token counts and per-token downloads and bandwidth of a repository over [from, to].")
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapGet("/customers/{id:int}/usage", async (int id, string? from, string? to,
                CustomerUsageService service, HttpContext http, CancellationToken ct) =>
            TypedResults.Ok(await service.GetAsync(Actor.From(http), id, AnalyticsPeriod.Parse(from, to), ct)))
            .WithTags("Analytics")
            .WithSummary("Get a customer's usage").WithDescription("What a customer's tokens downloaded over [from, to], per day, top packages and refusals.")
            .ProducesProblem(StatusCodes.Status404NotFound);
    }
}
