using EntitlementPortal.Features.Api;
using EntitlementPortal.Features.Shared;

namespace EntitlementPortal.Features.Downloads;

public static class DownloadHistoryEndpoints
{
    public static void MapDownloadHistoryApi(this RouteGroupBuilder api)
    {
        api.MapGet("/downloads", async ([AsParameters] ListParameters list, string? repo, int? customerId, int? tokenId, int? status,
                DateTime? from, DateTime? to, DownloadHistoryService service, HttpContext http, CancellationToken ct) =>
            TypedResults.Ok(await service.ListAsync(Actor.From(http),
                new DownloadQuery(repo, customerId, tokenId, status, from?.ToUniversalTime(), to?.ToUniversalTime()), list.ToPageRequest(), ct)))
            .WithTags("Downloads")
            .WithSummary("Every download attempt, served or refused, newest first");
    }
}
