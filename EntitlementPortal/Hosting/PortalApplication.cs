using EntitlementPortal.Components;
using EntitlementPortal.Components.Layout;
using EntitlementPortal.Data;
using EntitlementPortal.Features;
using EntitlementPortal.Features.Api;
using EntitlementPortal.Features.Downloads;
using EntitlementPortal.Identity;
using MudBlazor.Services;
using Scalar.AspNetCore;

namespace EntitlementPortal.Hosting;

/// <summary>The composition root: each area registers itself through its own <c>AddXxx()</c>.</summary>
public static class PortalApplication
{
    public static WebApplicationBuilder AddPortal(this WebApplicationBuilder builder)
    {
        // Serves _content/ and _framework/ files from an unpublished build in any environment.
        builder.WebHost.UseStaticWebAssets();
        // The host would log a start-up failure as a stack trace; Program prints it as one clear line instead.
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.Critical);

        EnsureWholeNumber(builder.Configuration, "Plan:MaxActiveTokens", minimum: 0, "0 (unlimited) or a positive whole number");
        EnsureWholeNumber(builder.Configuration, "Downloads:FailedAttemptsPerMinute", minimum: 1, "a whole number of at least 1");
        EnsureWholeNumber(builder.Configuration, "Downloads:FailedPasswordsPerUserName", minimum: 1, "a whole number of at least 1");
        EnsureWholeNumber(builder.Configuration, "Downloads:UserNameWindowSeconds", minimum: 1, "a whole number of seconds, at least 1");
        EnsureWholeNumber(builder.Configuration, "Downloads:ContentCacheBytes", minimum: 0, "0 (off) or a whole number of bytes", maximum: long.MaxValue);
        EnsureWholeNumber(builder.Configuration, "Downloads:EventQueueCapacity", minimum: 1, "a whole number of at least 1");
        EnsureWholeNumber(builder.Configuration, "History:RetentionDays", minimum: 1, "a whole number of days, at least 1 (leave it empty to keep every event)");
        EnsureDuration(builder.Configuration, "Tokens:ResetCheckInterval", Features.Tokens.TokenResetScheduler.MinInterval, Features.Tokens.TokenResetScheduler.MaxInterval);
        RedirectOffload.EnsureValid(builder.Configuration);
        builder.Services.Configure<BootstrapOptions>(builder.Configuration.GetSection(BootstrapOptions.Section));
        builder.Services.AddPortalData(builder.Configuration, builder.Environment);
        // Before the API's handler: an unreachable database is a 503 for downloads and the API alike.
        builder.Services.AddExceptionHandler<DatabaseUnavailableHandler>();
        builder.Services.AddPortalIdentity();
        builder.Services.AddReverseProxySupport(builder.Configuration);
        builder.Services.AddPortalFeatures();
        builder.Services.AddManagementApi();
        builder.Services.AddDownloads();
        builder.Services.AddSingleton(AccelRedirectOffload.FromConfiguration(builder.Configuration));
        builder.Services.AddPortalHealthChecks();
        // After the API's handler, which answers /api requests itself.
        builder.Services.AddExceptionHandler<PageBadRequestHandler>();

        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        builder.Services.AddMudServices();
        builder.Services.AddProblemDetails();
        return builder;
    }

    public static WebApplication UsePortal(this WebApplication app)
    {
        // First, so even the exception handler's and the status code pages' answers carry the headers.
        app.UseSecurityHeaders();
        app.UseTrustedForwardedHeaders();
        if (app.Environment.IsDevelopment())
        {
            app.UseMigrationsEndPoint();
            // API and download callers get problem details in every environment; pages get the developer page here.
            app.UseWhen(context => ManagementApi.IsApiRequest(context.Request) || context.Request.Path.StartsWithSegments("/dl"),
                api => api.UseExceptionHandler());
        }
        else
        {
            app.UseExceptionHandler("/Error", createScopeForErrors: true);
        }
        app.UseWhen(context => ManagementApi.IsApiRequest(context.Request), api => api.UseStatusCodePages());
        // Download and API answers carry their own problem bodies (and 416/304 have none on purpose).
        app.UseWhen(context => !ManagementApi.IsApiRequest(context.Request) && !context.Request.Path.StartsWithSegments("/dl"),
            pages => pages.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true));
        // Explicit order: forwarded headers must rewrite the client address and scheme before routing,
        // authentication and authorization see the request (the implicit ones would run first).
        app.UseRouting();
        app.UseManagementApiNotFound();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();

        app.MapStaticAssets().AllowAnonymous();
        app.MapPortalHealth();
        app.MapOpenApi(OpenApiSetup.DocumentRoute).AllowAnonymous();
        // A group, so AllowAnonymous reaches every endpoint Scalar maps (its page and its bundled scripts alike).
        app.MapGroup("").AllowAnonymous().MapScalarApiReference(SecurityHeaders.ApiReferencePath, (options, http) => options
            .WithTitle("EntitlementPortal API")
            .DisableDefaultFonts()
            // A vendor's own reference: no hosted extras (AI chat, MCP, telemetry, SDK and deploy toolbar), and a
            // way back to the portal.
            .DisableAgent()
            .DisableMcp()
            .DisableTelemetry()
            .HideDeveloperTools()
            .HideClientButton()
            .AddHeaderContent("""<nav class="portal-back"><a href="/">← Back to the portal</a></nav>""")
            .WithOpenApiRoutePattern(OpenApiSetup.DocumentRoute)
            .WithNonce(CspNonce.For(http)));
        app.MapManagementApi();
        app.MapDownloadExportPage();
        app.MapDownloads();
        Features.Formats.FormatEndpoints.MapFormatDownloads(app);
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        app.MapAdditionalIdentityEndpoints();
        app.MapThemeChoice();
        return app;
    }

    private static void EnsureDuration(IConfiguration configuration, string key, TimeSpan minimum, TimeSpan maximum)
    {
        var text = configuration[key];
        if (!string.IsNullOrWhiteSpace(text) && (!TimeSpan.TryParseExact(text.Trim(), "c", System.Globalization.CultureInfo.InvariantCulture, out var value)
                || value < minimum || value > maximum))
        {
            throw new StartupFailedException($"{key} '{text}' is not valid; use a time span from {minimum:c} to {maximum:c}, such as 00:01:00.");
        }
    }

    private static void EnsureWholeNumber(IConfiguration configuration, string key, long minimum, string expected, long maximum = int.MaxValue)
    {
        var text = configuration[key];
        if (!string.IsNullOrWhiteSpace(text) && (!long.TryParse(text, System.Globalization.NumberStyles.None,
                System.Globalization.CultureInfo.InvariantCulture, out var value) || value < minimum || value > maximum))
        {
            throw new StartupFailedException($"{key} '{text}' is not valid; use {expected}.");
        }
    }
}
