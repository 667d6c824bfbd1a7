using System.Text.Json.Nodes;
using EntitlementPortal.Features.Api;
using EntitlementPortal.Features.ApiKeys;
using EntitlementPortal.Features.Shared;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using FromBodyAttribute = Microsoft.AspNetCore.Mvc.FromBodyAttribute;

namespace EntitlementPortal.Features.Users;

/// <summary>The 201 answer to POST /users: the user, and the set-password link when no password was sent.</summary>
public sealed record NewUserResponse(
    string Id, string Email, string? Name, IReadOnlyList<string> Roles, bool IsLocked, DateTime CreatedAt, DateTime? LastSignInAt,
    string? SetPasswordUrl)
{
    public static NewUserResponse From(CreatedUser created) => new(created.User.Id, created.User.Email, created.User.Name,
        created.User.Roles, created.User.IsLocked, created.User.CreatedAt, created.User.LastSignInAt, created.SetPasswordUrl);
}

/// <summary>The 201 answer to POST /users/{id}/api-keys; <c>key</c> appears here and nowhere else, ever.</summary>
public sealed record NewApiKeyResponse(int Id, string Name, string Prefix, string Key, DateTime CreatedAt);

public static class UserEndpoints
{
    public static void MapUserApi(this RouteGroupBuilder api)
    {
        var users = api.MapGroup("/users").WithTags("Users");

        users.MapGet("/", async ([AsParameters] ListParameters list, string? role, UserDirectory directory, HttpContext http, CancellationToken ct) =>
                TypedResults.Ok(await directory.ListAsync(Actor.From(http), list.ToPageRequest(), role, ct)))
            .WithSummary("List users").WithDescription("List users (search by email or name, filter by role).");

        users.MapGet("/{id}", async (string id, UserDirectory directory, HttpContext http, CancellationToken ct) =>
                TypedResults.Ok(await directory.GetAsync(Actor.From(http), id, ct)))
            .WithSummary("Get a user").ProducesProblem(StatusCodes.Status404NotFound);

        users.MapPost("/", async (NewUserInput body, UserAdministration administration, HttpContext http, CancellationToken ct) =>
            {
                var created = await administration.CreateAsync(Actor.From(http), body, PortalBase(http.Request), ct);
                return TypedResults.Created($"{ManagementApi.BasePath}/users/{created.User.Id}", NewUserResponse.From(created));
            })
            .WithSummary("Create a user").WithDescription("Add a user; without a password the answer carries a one-time setPasswordUrl (24 hours).")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict);

        users.MapPatch("/{id}", async (string id, [FromBody] JsonObject patch, UserDirectory directory, UserAdministration administration,
                IOptions<JsonOptions> json, HttpContext http, CancellationToken ct) =>
            {
                var actor = Actor.From(http);
                var current = await directory.GetAsync(actor, id, ct);
                var changes = JsonMerge.Apply(current.ToChanges(), patch, json.Value.SerializerOptions);
                return TypedResults.Ok(await administration.UpdateAsync(actor, id, changes, ct));
            })
            .WithSummary("Update a user").WithDescription("Change a user's email, name, roles or lock (only the fields sent).")
            .Accepts<UserChanges>("application/json")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);

        users.MapDelete("/{id}", async (string id, UserAdministration administration, HttpContext http, CancellationToken ct) =>
            {
                await administration.DeleteAsync(Actor.From(http), id, ct);
                return TypedResults.NoContent();
            })
            .WithSummary("Delete a user").WithDescription("Remove a user, with their API keys and user tokens.")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);

        var keys = users.MapGroup("/{id}/api-keys");
        keys.MapGet("/", async (string id, ApiKeyService service, HttpContext http, CancellationToken ct) =>
                TypedResults.Ok(await service.ListForUserAsync(Actor.From(http), id, ct)))
            .WithSummary("List a user's API keys").WithDescription("A user's API keys (administrators, or the user themselves).").ProducesProblem(StatusCodes.Status404NotFound);

        keys.MapPost("/", async (string id, CreateApiKeyInput body, ApiKeyService service, HttpContext http, CancellationToken ct) =>
            {
                var created = await service.CreateForUserAsync(Actor.From(http), id, body, ct);
                var key = created.Key;
                return TypedResults.Created($"{ManagementApi.BasePath}/users/{id}/api-keys/{key.Id}",
                    new NewApiKeyResponse(key.Id, key.Name, key.Prefix, created.Secret, key.CreatedAt));
            })
            .WithSummary("Create an API key").WithDescription("Create an API key for a user; the key is in this answer only.")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);

        keys.MapDelete("/{keyId:int}", async (string id, int keyId, ApiKeyService service, HttpContext http, CancellationToken ct) =>
            {
                await service.RevokeForUserAsync(Actor.From(http), id, keyId, ct);
                return TypedResults.NoContent();
            })
            .WithSummary("Revoke a user's API key").ProducesProblem(StatusCodes.Status404NotFound);
    }

    /// <summary>The portal's address as this request reached it (after trusted forwarded headers).</summary>
    private static Uri PortalBase(HttpRequest request) => new($"{request.Scheme}://{request.Host}{request.PathBase}/");
}
