using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace EntitlementPortal.Features.Api;

public static class OpenApiSetup
{
    public const string DocumentRoute = "/openapi/{documentName}.json";

    public static IServiceCollection AddPortalOpenApi(this IServiceCollection services) =>
        services.AddOpenApi("v1", options =>
        {
            options.ShouldInclude = description => description.RelativePath?.StartsWith("api/", StringComparison.Ordinal) == true;
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info = new OpenApiInfo
                {
                    Title = "EntitlementPortal management API",
                    Version = "v1",
                    Description = "Repositories, customers, entitlement tokens and the audit log. "
                        + "Authenticate with a personal API key in the X-Api-Key header (or Authorization: Bearer). "
                        + "Errors are RFC 9457 problem details.",
                };
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                document.Components.SecuritySchemes[ApiKeyAuthenticationHandler.SchemeName] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.ApiKey,
                    In = ParameterLocation.Header,
                    Name = ApiKeyAuthenticationHandler.HeaderName,
                    Description = "A personal API key, created on the portal's API keys page.",
                };
                document.Security ??= [];
                document.Security.Add(new OpenApiSecurityRequirement
                {
                    [new OpenApiSecuritySchemeReference(ApiKeyAuthenticationHandler.SchemeName, document)] = [],
                });
                return Task.CompletedTask;
            });
        });
}
