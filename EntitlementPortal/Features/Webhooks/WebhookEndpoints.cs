using System.Text.Json.Nodes;
using EntitlementPortal.Features.Api;
using EntitlementPortal.Features.Shared;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using FromBodyAttribute = Microsoft.AspNetCore.Mvc.FromBodyAttribute;

namespace EntitlementPortal.Features.Webhooks;

public static class WebhookEndpoints
{
    public static void MapWebhookApi(this RouteGroupBuilder api)
    {
        var webhooks = api.MapGroup("/webhooks").WithTags("Webhooks");

        webhooks.MapGet("/", async ([AsParameters] ListParameters list, WebhookSubscriptions service, HttpContext http, CancellationToken ct) =>
            TypedResults.Ok(await service.ListAsync(Actor.From(http), list.ToPageRequest(), ct)))
            .WithSummary("List webhook subscriptions");

        webhooks.MapGet("/{id:int}", async (int id, WebhookSubscriptions service, HttpContext http, CancellationToken ct) =>
            TypedResults.Ok(await service.GetAsync(Actor.From(http), id, ct)))
            .WithSummary("Get a webhook subscription").ProducesProblem(StatusCodes.Status404NotFound);

        webhooks.MapPost("/", async (WebhookInput body, WebhookSubscriptions service, HttpContext http, CancellationToken ct) =>
            {
                var created = await service.CreateAsync(Actor.From(http), body, ct);
                return TypedResults.Created($"{ManagementApi.BasePath}/webhooks/{created.Id}", created);
            })
            .WithSummary("Create a webhook subscription")
            .WithDescription("The secret signs every delivery and is never returned. Private, loopback and link-local targets are refused.")
            .ProducesValidationProblem();

        webhooks.MapPatch("/{id:int}", async (int id, [FromBody] JsonObject patch, WebhookSubscriptions service,
                IOptions<JsonOptions> json, HttpContext http, CancellationToken ct) =>
            {
                var actor = Actor.From(http);
                var current = await service.GetAsync(actor, id, ct);
                var input = JsonMerge.Apply(current.ToInput(), patch, json.Value.SerializerOptions);
                return TypedResults.Ok(await service.UpdateAsync(actor, id, input, ct));
            })
            .WithSummary("Update a webhook subscription").WithDescription("Changes only the fields sent; without a secret the stored one stays.")
            .Accepts<WebhookInput>("application/json")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);

        webhooks.MapDelete("/{id:int}", async (int id, WebhookSubscriptions service, HttpContext http, CancellationToken ct) =>
            {
                await service.DeleteAsync(Actor.From(http), id, ct);
                return TypedResults.NoContent();
            })
            .WithSummary("Delete a webhook subscription").ProducesProblem(StatusCodes.Status404NotFound);

        webhooks.MapGet("/{id:int}/deliveries", async (int id, [AsParameters] ListParameters list, string? status,
                WebhookDeliveries deliveries, HttpContext http, CancellationToken ct) =>
            TypedResults.Ok(await deliveries.ListAsync(Actor.From(http), id, list.ToPageRequest(),
                ListParameters.ParseFilter<WebhookDeliveryStatus>(status, "status"), ct)))
            .WithSummary("List a webhook's deliveries").ProducesProblem(StatusCodes.Status404NotFound);

        webhooks.MapPost("/{id:int}/deliveries/{deliveryId}/resend", async (int id, string deliveryId, WebhookDeliveries deliveries,
                HttpContext http, CancellationToken ct) =>
            TypedResults.Accepted($"{ManagementApi.BasePath}/webhooks/{id}/deliveries",
                await deliveries.ResendAsync(Actor.From(http), id, deliveryId, ct)))
            .WithSummary("Send a delivery again")
            .WithDescription("Queues the same event again as a new delivery with a new id.")
            .ProducesProblem(StatusCodes.Status404NotFound);

        webhooks.MapPost("/{id:int}/test", async (int id, WebhookDeliveries deliveries, HttpContext http, CancellationToken ct) =>
            TypedResults.Accepted($"{ManagementApi.BasePath}/webhooks/{id}/deliveries",
                await deliveries.SendTestAsync(Actor.From(http), id, ct)))
            .WithSummary("Send a test event")
            .WithDescription("Queues a signed webhook.test delivery; its outcome shows in the deliveries.")
            .ProducesProblem(StatusCodes.Status404NotFound);
    }
}
