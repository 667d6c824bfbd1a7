using EntitlementPortal.Features.Api;
using EntitlementPortal.Features.Shared;

namespace EntitlementPortal.Features.Audit;

public static class AuditEndpoints
{
    public static void MapAuditApi(this RouteGroupBuilder api)
    {
        api.MapGet("/audit", async ([AsParameters] ListParameters list, string? actor, string? entityType, string? entityId,
                string? action, DateTime? from, DateTime? to, AuditService service, HttpContext http, CancellationToken ct) =>
            {
                var query = new AuditQuery(actor, entityType, entityId, action, from?.ToUniversalTime(), to?.ToUniversalTime());
                return TypedResults.Ok(await service.ListAsync(Actor.From(http), query, list.ToPageRequest(), ct));
            })
            .WithTags("Audit")
            .WithSummary("Read the audit log, newest first");
    }
}
