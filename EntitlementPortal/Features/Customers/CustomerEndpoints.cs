using System.Text.Json.Nodes;
using EntitlementPortal.Features.Api;
using EntitlementPortal.Features.Shared;
using Microsoft.AspNetCore.Http.Json;
using FromBodyAttribute = Microsoft.AspNetCore.Mvc.FromBodyAttribute;
using Microsoft.Extensions.Options;

namespace EntitlementPortal.Features.Customers;

public static class CustomerEndpoints
{
    public static void MapCustomerApi(this RouteGroupBuilder api)
    {
        var customers = api.MapGroup("/customers").WithTags("Customers");

        customers.MapGet("/", async ([AsParameters] ListParameters list, string? status,
                CustomerService service, HttpContext http, CancellationToken ct) =>
            TypedResults.Ok(await service.ListAsync(Actor.From(http), list.ToPageRequest(),
                ListParameters.ParseFilter<CustomerStatus>(status, "status"), ct)))
            .WithSummary("List customers");

        customers.MapGet("/{id:int}", async (int id, CustomerService service, HttpContext http, CancellationToken ct) =>
            TypedResults.Ok(await service.GetAsync(Actor.From(http), id, ct)))
            .WithSummary("Get a customer").ProducesProblem(StatusCodes.Status404NotFound);

        customers.MapPost("/", async (CustomerInput body, CustomerService service, HttpContext http, CancellationToken ct) =>
            {
                var created = await service.CreateAsync(Actor.From(http), body, ct);
                return TypedResults.Created($"{ManagementApi.BasePath}/customers/{created.Id}", created);
            })
            .WithSummary("Create a customer")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict);

        customers.MapPatch("/{id:int}", async (int id, [FromBody] JsonObject patch, CustomerService service,
                IOptions<JsonOptions> json, HttpContext http, CancellationToken ct) =>
            {
                var actor = Actor.From(http);
                var current = await service.GetAsync(actor, id, ct);
                var input = JsonMerge.Apply(current.ToInput(), patch, json.Value.SerializerOptions);
                return TypedResults.Ok(await service.UpdateAsync(actor, id, input, ct));
            })
            .WithSummary("Update a customer").WithDescription("Changes only the fields sent.")
            .Accepts<CustomerInput>("application/json")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);

        customers.MapDelete("/{id:int}", async (int id, CustomerService service, HttpContext http, CancellationToken ct) =>
            {
                await service.DeleteAsync(Actor.From(http), id, ct);
                return TypedResults.NoContent();
            })
            .WithSummary("Delete a customer").ProducesProblem(StatusCodes.Status404NotFound);

        customers.MapPost("/{id:int}/revoke", async (int id, CustomerService service, HttpContext http, CancellationToken ct) =>
            TypedResults.Ok(await service.RevokeAsync(Actor.From(http), id, ct)))
            .WithSummary("Revoke a customer").WithDescription("Every token of the customer is refused from now on; reinstating re-enables the tokens the revocation disabled.").ProducesProblem(StatusCodes.Status404NotFound);

        customers.MapPost("/{id:int}/reinstate", async (int id, CustomerService service, HttpContext http, CancellationToken ct) =>
            TypedResults.Ok(await service.ReinstateAsync(Actor.From(http), id, ct)))
            .WithSummary("Reinstate a revoked customer").ProducesProblem(StatusCodes.Status404NotFound);
    }
}
