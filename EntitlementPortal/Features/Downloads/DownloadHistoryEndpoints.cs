using EntitlementPortal.Features.Api;
using EntitlementPortal.Features.Shared;
using EntitlementPortal.Identity;
using FluentValidation;

namespace EntitlementPortal.Features.Downloads;

public static class DownloadHistoryEndpoints
{
    /// <summary>Where the Downloads page sends the browser for a CSV: the same export under the portal's sign-in cookie.</summary>
    public const string PortalExportPath = "/downloads/export.csv";

    public static void MapDownloadHistoryApi(this RouteGroupBuilder api)
    {
        api.MapGet("/downloads", async ([AsParameters] ListParameters list, [AsParameters] DownloadFilterParameters filters,
                DownloadHistoryService service, HttpContext http, CancellationToken ct) =>
            TypedResults.Ok(await service.ListAsync(Actor.From(http), filters.ToQuery(), list.ToPageRequest(), ct)))
            .WithTags("Downloads")
            .WithSummary("List download events").WithDescription("Every download attempt, served or refused, newest first.");

        api.MapGet("/downloads/export", async ([AsParameters] DownloadFilterParameters filters, DownloadHistoryService service,
                HttpContext http, CancellationToken ct) =>
            new DownloadCsvResult(await service.ExportAsync(Actor.From(http), filters.ToQuery(), ct)))
            .WithTags("Downloads")
            .WithSummary("Export download events as CSV").WithDescription("The filtered history as CSV, oldest first, streamed.")
            .Produces(StatusCodes.Status200OK, contentType: "text/csv");
    }

    /// <summary>
    /// The export for a signed-in person on the Downloads page (the management API takes API keys only). Same
    /// service, same writer; errors come back as problem details since there is no page to show them on.
    /// </summary>
    public static IEndpointRouteBuilder MapDownloadExportPage(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(PortalExportPath, async ([AsParameters] DownloadFilterParameters filters, DownloadHistoryService service,
                HttpContext http, CancellationToken ct) =>
            {
                try
                {
                    return (IResult)new DownloadCsvResult(await service.ExportAsync(Actor.From(http), filters.ToQuery(), ct));
                }
                catch (ValidationException ex)
                {
                    return TypedResults.ValidationProblem(
                        ex.Errors.GroupBy(e => e.PropertyName).ToDictionary(g => g.Key, g => g.Select(e => e.ErrorMessage).ToArray()),
                        detail: string.Join(" ", ex.Errors.Select(e => e.ErrorMessage)));
                }
                catch (ForbiddenException ex)
                {
                    return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, detail: ex.Message);
                }
            })
            .RequireAuthorization(Policies.ReadEntitlements)
            .ExcludeFromDescription();
        return endpoints;
    }
}

/// <summary>Streams the rows as CSV; the status and headers go out before the first row is read.</summary>
public sealed class DownloadCsvResult(IAsyncEnumerable<DownloadEventView> rows) : IResult
{
    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "text/csv; charset=utf-8";
        var stamp = httpContext.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow().ToString("yyyyMMdd-HHmmss", System.Globalization.CultureInfo.InvariantCulture);
        response.Headers.ContentDisposition = $"attachment; filename=\"downloads-{stamp}.csv\"";
        response.Headers.CacheControl = "no-store";
        await DownloadCsv.WriteAsync(response.Body, rows, httpContext.RequestAborted);
    }
}
