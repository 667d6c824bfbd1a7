using EntitlementPortal.Features.Api;
using EntitlementPortal.Features.Shared;

namespace EntitlementPortal.Features.Tokens.UserTokens;

public static class UserTokenEndpoints
{
    public static void MapUserTokenApi(this RouteGroupBuilder api)
    {
        const string Tag = "User tokens";

        api.MapGet("/repos/{repo}/user-token", async (string repo, UserTokenService service, HttpContext http, CancellationToken ct) =>
            TypedResults.Ok(await service.GetOrCreateAsync(Actor.From(http), repo, ct)))
            .WithTags(Tag).WithSummary("Get my user token").WithDescription("The caller's user token for this repository, with its secret (created on the first call).")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);

        // No body: `curl -X POST` works as is. There is no grace window: the owner changes their own scripts.
        api.MapPost("/repos/{repo}/user-token/refresh", async (string repo, UserTokenService service, HttpContext http, CancellationToken ct) =>
            TypedResults.Ok(await service.RefreshAsync(Actor.From(http), repo, ct)))
            .WithTags(Tag).WithSummary("Refresh my user token").WithDescription("Give the caller's own user token a new secret; the old one stops working at once.")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);

        api.MapGet("/user-tokens", async ([AsParameters] ListParameters list, UserTokenService service, HttpContext http, CancellationToken ct) =>
            TypedResults.Ok(await service.ListMineAsync(Actor.From(http), list.ToPageRequest(), ct)))
            .WithTags(Tag).WithSummary("List my user tokens").WithDescription("The caller's user tokens in every repository they can still read (with secrets).");
    }
}
