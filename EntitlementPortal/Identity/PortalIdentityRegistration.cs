using EntitlementPortal.Components.Account;
using EntitlementPortal.Data;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Identity;

namespace EntitlementPortal.Identity;

public static class PortalIdentityRegistration
{
    public static IServiceCollection AddPortalIdentity(this IServiceCollection services)
    {
        services.AddCascadingAuthenticationState();
        services.AddScoped<IdentityRedirectManager>();
        services.AddScoped<AuthenticationStateProvider, IdentityRevalidatingAuthenticationStateProvider>();
        services.AddScoped<FirstAdministrator>();

        services.AddAuthentication(options =>
            {
                options.DefaultScheme = IdentityConstants.ApplicationScheme;
                options.DefaultSignInScheme = IdentityConstants.ExternalScheme;
            })
            .AddIdentityCookies();

        services.AddPortalIdentityCore().AddSignInManager();
        // Locking, removing or re-roling someone changes their security stamp; cookies re-check it this often,
        // and so does IdentityRevalidatingAuthenticationStateProvider for open Blazor circuits.
        services.Configure<SecurityStampValidatorOptions>(options => options.ValidationInterval = SessionRevalidationInterval);

        services.AddAuthorization(Policies.Configure);

        return services;
    }

    /// <summary>How long an open session (cookie or circuit) may outlive a lock, removal or role change.</summary>
    public static readonly TimeSpan SessionRevalidationInterval = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Users, roles and their stores, token providers: what the feature services need, shared with the test
    /// database so service tests run on the app's own registration.
    /// </summary>
    public static IdentityBuilder AddPortalIdentityCore(this IServiceCollection services) =>
        services.AddIdentityCore<ApplicationUser>(ConfigureIdentity)
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<AppDbContext>()
            .AddDefaultTokenProviders()
            .AddTokenProvider<SetPasswordTokenProvider>(SetPasswordTokenProvider.ProviderName);

    /// <summary>Shared with the design-time factories so migrations see the same Identity model as the app.</summary>
    public static void ConfigureIdentity(IdentityOptions options)
    {
        options.Stores.SchemaVersion = IdentitySchemaVersions.Version3;
        options.SignIn.RequireConfirmedAccount = false;
        options.User.RequireUniqueEmail = true;
        options.Password.RequiredLength = 8;
        options.Lockout.MaxFailedAccessAttempts = 5;
        options.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(5);
        // Set-password links are password-reset codes that last 24 hours and work once.
        options.Tokens.PasswordResetTokenProvider = SetPasswordTokenProvider.ProviderName;
    }
}
