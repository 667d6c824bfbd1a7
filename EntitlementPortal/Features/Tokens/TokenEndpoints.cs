using System.Text.Json.Nodes;
using EntitlementPortal.Features.Api;
using EntitlementPortal.Features.Shared;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using FromBodyAttribute = Microsoft.AspNetCore.Mvc.FromBodyAttribute;

namespace EntitlementPortal.Features.Tokens;

public sealed record RefreshRequest(int? GraceSeconds);

public sealed record SyncRequest(string? Source);

/// <summary>
/// Usage of one token: the counters its limits are checked against, <c>byDay</c> over its whole life, and
/// <c>period</c>, the same figures as a customer's usage for <c>[from, to]</c>. The period is its own object because
/// the counters already own the names <c>downloads</c>, <c>clients</c> and <c>bandwidthBytes</c>: since a reset,
/// not over a period.
/// </summary>
public sealed record TokenUsage(long Downloads, int Clients, long BandwidthBytes, DateTime? LastDownloadAt, string? LastClientIp,
    IReadOnlyList<DailyUsage> ByDay, Analytics.UsageReport Period);

public sealed record DailyUsage(DateOnly Date, long Downloads, long Bytes);

public static class TokenEndpoints
{
    public static void MapTokenApi(this RouteGroupBuilder api)
    {
        var tokens = api.MapGroup("/repos/{repo}/entitlements").WithTags("Entitlement tokens");

        tokens.MapGet("/", async (string repo, [AsParameters] ListParameters list, int? customerId, bool? active, bool? includeDeleted,
                TokenQueries service, HttpContext http, CancellationToken ct) =>
            TypedResults.Ok(await service.ListAsync(Actor.From(http),
                new TokenFilter(repo, customerId, active, includeDeleted ?? false), list.ToPageRequest(), ct)))
            .WithSummary("List the repository's standard tokens");

        tokens.MapGet("/{id:int}", async (string repo, int id, TokenQueries service, HttpContext http, CancellationToken ct) =>
            TypedResults.Ok(await service.GetAsync(Actor.From(http), repo, id, ct)))
            .WithSummary("Get a token").ProducesProblem(StatusCodes.Status404NotFound);

        tokens.MapPost("/", async (string repo, TokenInput body, TokenEditor service, HttpContext http, CancellationToken ct) =>
            {
                var created = await service.CreateAsync(Actor.From(http), repo, body, ct);
                return TypedResults.Created($"{ManagementApi.BasePath}/repos/{repo}/entitlements/{created.Id}", created);
            })
            .WithSummary("Create a token").WithDescription("The response carries the token's secret.")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);

        tokens.MapPatch("/{id:int}", async (string repo, int id, [FromBody] JsonObject patch, TokenQueries queries, TokenEditor editor,
                IOptions<JsonOptions> json, HttpContext http, CancellationToken ct) =>
            {
                var actor = Actor.From(http);
                var current = await queries.GetAsync(actor, repo, id, ct);
                var input = JsonMerge.Apply(current.ToInput(), patch, json.Value.SerializerOptions);
                return TypedResults.Ok(await editor.UpdateAsync(actor, repo, id, input, ct));
            })
            .WithSummary("Update a token").WithDescription("Change a token (only the fields sent; null clears a limit; token sets a new custom secret).")
            .Accepts<TokenInput>("application/json")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);

        tokens.MapDelete("/{id:int}", async (string repo, int id, TokenLifecycle service, HttpContext http, CancellationToken ct) =>
            {
                await service.DeleteAsync(Actor.From(http), repo, id, ct);
                return TypedResults.NoContent();
            })
            .WithSummary("Delete a token").WithDescription("Delete a token (its history stays; its secret never works again).").ProducesProblem(StatusCodes.Status404NotFound);

        tokens.MapPost("/{id:int}/disable", async (string repo, int id, TokenLifecycle service, HttpContext http, CancellationToken ct) =>
            TypedResults.Ok(await service.DisableAsync(Actor.From(http), repo, id, ct)))
            .WithSummary("Disable a token").ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);

        tokens.MapPost("/{id:int}/enable", async (string repo, int id, TokenLifecycle service, HttpContext http, CancellationToken ct) =>
            TypedResults.Ok(await service.EnableAsync(Actor.From(http), repo, id, ct)))
            .WithSummary("Enable a token").WithDescription("Refused with 409 when the plan allowance (Plan:MaxActiveTokens) is full.").ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);

        // The body is optional ({ "graceSeconds": N }) and so is its Content-Type: `curl -X POST` must work as is.
        tokens.MapPost("/{id:int}/refresh", async (string repo, int id, HttpRequest request, TokenLifecycle service, CancellationToken ct) =>
            {
                var body = await ReadOptionalJsonAsync<RefreshRequest>(request, ct);
                return TypedResults.Ok(await service.RefreshAsync(Actor.From(request.HttpContext), repo, id, body?.GraceSeconds, ct));
            })
            .WithSummary("Refresh a token's secret").WithDescription("Give the token a new secret; the old one works for graceSeconds more (optional body { graceSeconds }, default 0).")
            .Accepts<RefreshRequest>(isOptional: true, "application/json")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);

        tokens.MapPost("/{id:int}/reset", async (string repo, int id, TokenLifecycle service, HttpContext http, CancellationToken ct) =>
            TypedResults.Ok(await service.ResetUsageAsync(Actor.From(http), repo, id, ct)))
            .WithSummary("Reset a token's usage").WithDescription("Reset the token's usage counters (the history stays).").ProducesProblem(StatusCodes.Status404NotFound);

        tokens.MapGet("/{id:int}/usage", async (string repo, int id, string? from, string? to, TokenQueries service,
                Downloads.DownloadHistoryService history, Analytics.CustomerUsageService usage, HttpContext http, CancellationToken ct) =>
            {
                var period = Analytics.AnalyticsPeriod.Parse(from, to);
                var actor = Actor.From(http);
                var token = await service.GetAsync(actor, repo, id, ct);
                return TypedResults.Ok(new TokenUsage(token.Downloads, token.Clients, token.BandwidthBytes,
                    token.LastDownloadAt, token.LastClientIp, await history.DailyUsageAsync(actor, id, ct),
                    await usage.GetForTokenAsync(actor, repo, id, period, ct)));
            })
            .WithSummary("Usage counters of a token")
            .WithDescription("The token's counters and per-day figures, and in period what it downloaded over [from, to] (top packages, refusals).")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);

        tokens.MapPost("/sync", async (string repo, SyncRequest body, TokenSync service, HttpContext http, CancellationToken ct) =>
            {
                if (string.IsNullOrWhiteSpace(body.Source))
                {
                    throw new FluentValidation.ValidationException([new FluentValidation.Results.ValidationFailure("source", "source (a repository slug) is required.")]);
                }
                return TypedResults.Ok(await service.SyncAsync(Actor.From(http), repo, body.Source.Trim(), ct));
            })
            .WithSummary("Sync tokens from a repository").WithDescription("Make this repository's standard tokens match the source repository's (others here are deleted).")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
    }

    private static async Task<T?> ReadOptionalJsonAsync<T>(HttpRequest request, CancellationToken ct) where T : class
    {
        if (request.ContentLength is 0 || (request.ContentLength is null && request.Headers.TransferEncoding.Count == 0))
        {
            return null;
        }
        try
        {
            var options = request.HttpContext.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
            return await System.Text.Json.JsonSerializer.DeserializeAsync<T>(request.Body, options, ct);
        }
        catch (System.Text.Json.JsonException ex)
        {
            throw new BadHttpRequestException("The request body is not valid JSON.", StatusCodes.Status400BadRequest, ex);
        }
    }
}
