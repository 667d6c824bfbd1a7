using System.Text.Json.Nodes;
using EntitlementPortal.Features.Api;
using EntitlementPortal.Features.Shared;
using Microsoft.AspNetCore.Http.Json;
using FromBodyAttribute = Microsoft.AspNetCore.Mvc.FromBodyAttribute;
using Microsoft.Extensions.Options;

namespace EntitlementPortal.Features.Repositories;

public static class RepositoryEndpoints
{
    public static void MapRepositoryApi(this RouteGroupBuilder api)
    {
        var repos = api.MapGroup("/repos").WithTags("Repositories");

        repos.MapGet("/", async ([AsParameters] ListParameters list, string? visibility,
                RepositoryService service, HttpContext http, CancellationToken ct) =>
            TypedResults.Ok(await service.ListAsync(Actor.From(http), list.ToPageRequest(),
                ListParameters.ParseFilter<RepositoryVisibility>(visibility, "visibility"), ct)))
            .WithSummary("List repositories");

        repos.MapGet("/{repo}", async (string repo, RepositoryService service, HttpContext http, CancellationToken ct) =>
            TypedResults.Ok(await service.GetAsync(Actor.From(http), repo, ct)))
            .WithSummary("Get a repository").ProducesProblem(StatusCodes.Status404NotFound);

        repos.MapPost("/", async (RepositoryInput body, RepositoryService service, HttpContext http, CancellationToken ct) =>
            {
                var created = await service.CreateAsync(Actor.From(http), body, ct);
                return TypedResults.Created($"{ManagementApi.BasePath}/repos/{created.Slug}", created);
            })
            .WithSummary("Create a repository")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict);

        repos.MapPatch("/{repo}", async (string repo, [FromBody] JsonObject patch, bool? confirm, RepositoryService service,
                IOptions<JsonOptions> json, HttpContext http, CancellationToken ct) =>
            {
                var actor = Actor.From(http);
                var current = await service.GetAsync(actor, repo, ct);
                var input = JsonMerge.Apply(current.ToInput(), patch, json.Value.SerializerOptions);
                return TypedResults.Ok(await service.UpdateAsync(actor, repo, input, confirm ?? false, ct));
            })
            .WithSummary("Update a repository")
            .WithDescription("Changes only the fields sent. Making it public while it has active tokens "
                + "answers 409 until repeated with ?confirm=true, which disables those tokens.")
            .Accepts<RepositoryInput>("application/json")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);

        repos.MapDelete("/{repo}", async (string repo, bool? deletePackages, RepositoryService service, HttpContext http, CancellationToken ct) =>
            {
                await service.DeleteAsync(Actor.From(http), repo, deletePackages ?? false, ct);
                return TypedResults.NoContent();
            })
            .WithSummary("Delete a repository")
            .WithDescription("While it holds packages this answers 409 unless ?deletePackages=true, "
                + "which deletes them (and their files) too.").ProducesProblem(StatusCodes.Status404NotFound);
    }
}
