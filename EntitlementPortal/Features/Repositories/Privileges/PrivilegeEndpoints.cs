using EntitlementPortal.Features.Api;
using EntitlementPortal.Features.Shared;

namespace EntitlementPortal.Features.Repositories.Privileges;

public static class PrivilegeEndpoints
{
    public static void MapPrivilegeApi(this RouteGroupBuilder api)
    {
        var privileges = api.MapGroup("/repos/{repo}/privileges").WithTags("Repository privileges");

        privileges.MapGet("/", async (string repo, [AsParameters] ListParameters list, RepositoryPrivilegeService service,
                HttpContext http, CancellationToken ct) =>
            TypedResults.Ok(await service.ListAsync(Actor.From(http), repo, list.ToPageRequest(), ct)))
            .WithSummary("List a repository's grants").WithDescription("List the repository's direct grants (administrators and the repository's admins).")
            .ProducesProblem(StatusCodes.Status404NotFound);

        privileges.MapPut("/users/{userId}", async (string repo, string userId, PrivilegeInput body,
                RepositoryPrivilegeService service, HttpContext http, CancellationToken ct) =>
            TypedResults.Ok(await service.SetUserPrivilegeAsync(Actor.From(http), repo, userId, body, ct)))
            .WithSummary("Grant a user access").WithDescription("Grant a user a privilege on the repository, or change it.")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);

        privileges.MapDelete("/users/{userId}", async (string repo, string userId,
                RepositoryPrivilegeService service, HttpContext http, CancellationToken ct) =>
            {
                await service.RemoveUserPrivilegeAsync(Actor.From(http), repo, userId, ct);
                return TypedResults.NoContent();
            })
            .WithSummary("Revoke a user's access").WithDescription("Revoke a user's direct grant (204, also when there was none).")
            .ProducesProblem(StatusCodes.Status404NotFound);

        privileges.MapPut("/teams/{team}", async (string repo, string team, PrivilegeInput body,
                RepositoryPrivilegeService service, HttpContext http, CancellationToken ct) =>
            TypedResults.Ok(await service.SetTeamPrivilegeAsync(Actor.From(http), repo, team, body, ct)))
            .WithSummary("Grant a team access").WithDescription("Grant a team a privilege on the repository, or change it.")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);

        privileges.MapDelete("/teams/{team}", async (string repo, string team,
                RepositoryPrivilegeService service, HttpContext http, CancellationToken ct) =>
            {
                await service.RemoveTeamPrivilegeAsync(Actor.From(http), repo, team, ct);
                return TypedResults.NoContent();
            })
            .WithSummary("Revoke a team's access").WithDescription("Revoke a team's grant (204, also when there was none).")
            .ProducesProblem(StatusCodes.Status404NotFound);
    }
}
