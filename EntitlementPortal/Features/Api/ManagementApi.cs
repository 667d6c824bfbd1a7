using System.Text.Json;
using System.Text.Json.Serialization;
using EntitlementPortal.Features.Audit;
using EntitlementPortal.Features.Customers;
using EntitlementPortal.Features.Repositories;
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
        services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        services.Configure<JsonOptions>(options => ConfigureJson(options.SerializerOptions));
        services.AddPortalOpenApi();
        return services;
    }

    public static void ConfigureJson(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false));
    }

    public static IEndpointRouteBuilder MapManagementApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup(BasePath)
            .RequireAuthorization(PolicyName)
            .DisableAntiforgery()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);

        api.MapRepositoryApi();
        api.MapCustomerApi();
        api.MapAuditApi();

        // Anything else under /api is a 404 problem, never the portal's HTML page.
        endpoints.MapFallback("/api/{**rest}", () => Results.Problem(
            statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: "There is no such API route."))
            .AllowAnonymous().ExcludeFromDescription();
        return endpoints;
    }
}
