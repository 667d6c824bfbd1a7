using System.Text.Json.Nodes;
using EntitlementPortal.Features.Api;
using EntitlementPortal.Features.Shared;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using FromBodyAttribute = Microsoft.AspNetCore.Mvc.FromBodyAttribute;

namespace EntitlementPortal.Features.Teams;

public static class TeamEndpoints
{
    public static void MapTeamApi(this RouteGroupBuilder api)
    {
        var teams = api.MapGroup("/teams").WithTags("Teams");

        teams.MapGet("/", async ([AsParameters] ListParameters list, TeamService service, HttpContext http, CancellationToken ct) =>
            TypedResults.Ok(await service.ListAsync(Actor.From(http), list.ToPageRequest(), ct)))
            .WithSummary("List teams").WithDescription("Administrators only.");

        teams.MapGet("/{team}", async (string team, TeamService service, HttpContext http, CancellationToken ct) =>
            TypedResults.Ok(await service.GetAsync(Actor.From(http), team, ct)))
            .WithSummary("Get a team with its members' user ids").ProducesProblem(StatusCodes.Status404NotFound);

        teams.MapPost("/", async (TeamInput body, TeamService service, HttpContext http, CancellationToken ct) =>
            {
                var created = await service.CreateAsync(Actor.From(http), body, ct);
                return TypedResults.Created($"{ManagementApi.BasePath}/teams/{created.Slug}", created);
            })
            .WithSummary("Create a team")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict);

        teams.MapPatch("/{team}", async (string team, [FromBody] JsonObject patch, TeamService service,
                IOptions<JsonOptions> json, HttpContext http, CancellationToken ct) =>
            {
                var actor = Actor.From(http);
                var current = await service.GetAsync(actor, team, ct);
                var input = JsonMerge.Apply(current.ToInput(), patch, json.Value.SerializerOptions);
                return TypedResults.Ok(await service.UpdateAsync(actor, team, input, ct));
            })
            .WithSummary("Update a team").WithDescription("Rename a team (only the fields sent; the slug may change too).")
            .Accepts<TeamInput>("application/json")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);

        teams.MapDelete("/{team}", async (string team, TeamService service, HttpContext http, CancellationToken ct) =>
            {
                await service.DeleteAsync(Actor.From(http), team, ct);
                return TypedResults.NoContent();
            })
            .WithSummary("Delete a team").WithDescription("Delete a team with its memberships and repository grants.").ProducesProblem(StatusCodes.Status404NotFound);

        teams.MapPut("/{team}/members/{userId}", async (string team, string userId, TeamService service, HttpContext http, CancellationToken ct) =>
            TypedResults.Ok(await service.AddMemberAsync(Actor.From(http), team, userId, ct)))
            .WithSummary("Add a team member").WithDescription("Add a user to a team (200 with the team; adding a member again is also 200).")
            .ProducesProblem(StatusCodes.Status404NotFound);

        teams.MapDelete("/{team}/members/{userId}", async (string team, string userId, TeamService service, HttpContext http, CancellationToken ct) =>
            {
                await service.RemoveMemberAsync(Actor.From(http), team, userId, ct);
                return TypedResults.NoContent();
            })
            .WithSummary("Remove a team member").WithDescription("Remove a user from a team (204, also when the user was not a member).")
            .ProducesProblem(StatusCodes.Status404NotFound);
    }
}
