using EntitlementPortal.Components;
using EntitlementPortal.Data;
using EntitlementPortal.Identity;
using MudBlazor.Services;

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

        builder.Services.Configure<BootstrapOptions>(builder.Configuration.GetSection(BootstrapOptions.Section));
        builder.Services.AddPortalData(builder.Configuration, builder.Environment);
        builder.Services.AddPortalIdentity();
        builder.Services.AddReverseProxySupport(builder.Configuration);

        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        builder.Services.AddMudServices();
        builder.Services.AddProblemDetails();
        return builder;
    }

    public static WebApplication UsePortal(this WebApplication app)
    {
        app.UseForwardedHeaders();
        if (app.Environment.IsDevelopment())
        {
            app.UseMigrationsEndPoint();
        }
        else
        {
            app.UseExceptionHandler("/Error", createScopeForErrors: true);
        }
        app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
        app.UseAntiforgery();

        app.MapStaticAssets().AllowAnonymous();
        app.MapHealthChecks("/healthz").AllowAnonymous();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        app.MapAdditionalIdentityEndpoints();
        return app;
    }
}
