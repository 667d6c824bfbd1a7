using System.Text.Json;
using System.Text.Json.Serialization;
using EntitlementPortal.Features.Audit;
using EntitlementPortal.Features.Customers;
using EntitlementPortal.Features.Downloads;
using EntitlementPortal.Features.Repositories;
using EntitlementPortal.Features.Tokens;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.Json;

namespace EntitlementPortal.Features.Api;

/// <summary>The management API under /api/v1: API-key authentication, problem details, OpenAPI.</summary>
public static class ManagementApi
{
    public const string BasePath = "/api/v1";
    public const string PolicyName = "ManagementApi";

    public static bool IsApiRequest(HttpRequest request) => request.Path.StartsWithSegments("/api");

    public static bool IsApiPath(string? path) => new PathString(path).StartsWithSegments("/api");

    public static IServiceCollection AddManagementApi(this IServiceCollection services)
    {
        services.AddAuthentication()
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, _ => { });
        services.AddAuthorizationBuilder().AddPolicy(PolicyName, policy => policy
            .AddAuthenticationSchemes(ApiKeyAuthenticationHandler.SchemeName)
            .RequireAuthenticatedUser());

        services.AddExceptionHandler<ApiExceptionHandler>();
        // The contract promises a human "detail" on every problem, including the framework's own 404/405/415.
        services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
            context.ProblemDetails.Detail ??= context.ProblemDetails.Status switch
            {
                StatusCodes.Status404NotFound => "There is no such API route.",
                StatusCodes.Status405MethodNotAllowed => $"This route does not accept {context.HttpContext.Request.Method}; see the Allow header.",
                StatusCodes.Status415UnsupportedMediaType => "Send the request body as application/json.",
                _ => context.ProblemDetails.Title,
            });
        services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        services.Configure<JsonOptions>(options => ConfigureJson(options.SerializerOptions));
        services.AddPortalOpenApi();
        return services;
    }

    public static void ConfigureJson(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        // A typo ("limitNumDownloads") must be a 400, never a silently unlimited licence: POST refuses unknown
        // fields as PATCH (JsonMerge) does.
        options.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false));
    }

    /// <summary>
    /// After routing: a request under /api that found no API endpoint (only a portal page or nothing) gets a 404
    /// problem instead of HTML or a sign-in redirect; a wrong method or content type gets 405/415.
    /// </summary>
    public static IApplicationBuilder UseManagementApiNotFound(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            var endpoint = context.GetEndpoint();
            if (!IsApiRequest(context.Request) || endpoint?.Metadata.GetMetadata<ManagementApiEndpoint>() is not null)
            {
                await next(context);
                return;
            }
            if (endpoint?.DisplayName is { } name && (name.StartsWith("405 ", StringComparison.Ordinal) || name.StartsWith("415 ", StringComparison.Ordinal)))
            {
                // Routing's own answer (with its Allow header); run it here, before the portal's sign-in
                // fallback policy could turn it into a redirect. Status code pages add the problem body.
                await endpoint.RequestDelegate!(context);
                return;
            }
            await Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found",
                detail: "There is no such API route.").ExecuteAsync(context);
        });

    public static IEndpointRouteBuilder MapManagementApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup(BasePath)
            .WithMetadata(new ManagementApiEndpoint())
            .RequireAuthorization(PolicyName)
            .DisableAntiforgery()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);

        api.MapRepositoryApi();
        Repositories.Privileges.PrivilegeEndpoints.MapPrivilegeApi(api);
        Teams.TeamEndpoints.MapTeamApi(api);
        api.MapCustomerApi();
        api.MapTokenApi();
        Tokens.UserTokens.UserTokenEndpoints.MapUserTokenApi(api);
        Packages.PackageEndpoints.MapPackageApi(api);
        Formats.FormatEndpoints.MapFormatPublishing(api);
        api.MapAuditApi();
        api.MapDownloadHistoryApi();
        Analytics.AnalyticsEndpoints.MapAnalyticsApi(api);
        Users.UserEndpoints.MapUserApi(api);
        Webhooks.WebhookEndpoints.MapWebhookApi(api);

        return endpoints;
    }
}

/// <summary>Marks the endpoints of the management API.</summary>
public sealed class ManagementApiEndpoint;
