using Microsoft.Extensions.DependencyInjection.Extensions;

namespace EntitlementPortal.Features.Formats;

public static class FormatRegistration
{
    public static IServiceCollection AddPackageFormats(this IServiceCollection services)
    {
        services.TryAddScoped<FormatDownloads>();
        services.TryAddScoped<FormatPublishing>();
        services.TryAddSingleton<PackageFormats>();
        services.TryAddScoped<InstallSnippets>();
        services.AddSingleton<IPackageFormat, Python.PythonFormat>();
        services.AddSingleton<IPackageFormat, Npm.NpmFormat>();
        services.AddSingleton<IPackageFormat, NuGet.NuGetFormat>();
        return services;
    }
}
