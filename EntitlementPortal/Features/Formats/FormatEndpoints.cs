namespace EntitlementPortal.Features.Formats;

/// <summary>Where each format's routes are mapped: downloads under /dl (both forms), publishing under the management API.</summary>
public static class FormatEndpoints
{
    public static IEndpointRouteBuilder MapFormatDownloads(this IEndpointRouteBuilder endpoints)
    {
        var routes = new FormatRoutes(endpoints);
        Python.SimpleIndexEndpoints.MapPythonIndex(routes);
        Npm.NpmDownloadEndpoints.MapNpmDownloads(routes);
        NuGet.NuGetFeedEndpoints.Map(routes);
        return endpoints;
    }

    public static void MapFormatPublishing(RouteGroupBuilder api)
    {
        Python.LegacyUploadEndpoint.MapPythonPublishing(api);
        Npm.NpmPublishEndpoints.MapNpmPublishing(api);
        NuGet.NuGetPublishEndpoints.Map(api);
    }
}
