using System.Text.Json;
using EntitlementPortal.Data;
using EntitlementPortal.Features.Packages;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace EntitlementPortal.Hosting;

/// <summary>
/// Health for load balancers and probes: <c>/healthz/live</c> (the process answers; restart it when this fails),
/// <c>/healthz/ready</c> (the database and the package storage work; route traffic here only when this passes) and
/// <c>/healthz</c> (the same checks, for people). The bodies name each check's state and nothing else: the routes are
/// anonymous, so no connection string, path or exception text leaves the process.
/// </summary>
public static class PortalHealth
{
    public const string LivePath = "/healthz/live";
    public const string ReadyPath = "/healthz/ready";
    public const string ReportPath = "/healthz";
    private const string ReadyTag = "ready";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static IServiceCollection AddPortalHealthChecks(this IServiceCollection services)
    {
        services.AddHealthChecks()
            .AddDbContextCheck<AppDbContext>("database", tags: [ReadyTag])
            .AddCheck<StorageHealthCheck>("storage", tags: [ReadyTag]);
        return services;
    }

    public static void MapPortalHealth(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks(LivePath, new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteReportAsync }).AllowAnonymous();
        app.MapHealthChecks(ReadyPath, new HealthCheckOptions { Predicate = check => check.Tags.Contains(ReadyTag), ResponseWriter = WriteReportAsync }).AllowAnonymous();
        app.MapHealthChecks(ReportPath, new HealthCheckOptions { ResponseWriter = WriteReportAsync }).AllowAnonymous();
    }

    private static Task WriteReportAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        context.Response.Headers.CacheControl = "no-store";
        return JsonSerializer.SerializeAsync(context.Response.Body, new HealthAnswer(
            report.Status.ToString(),
            report.Entries.ToDictionary(entry => entry.Key, entry => entry.Value.Status.ToString(), StringComparer.Ordinal)),
            Json, context.RequestAborted);
    }
}

public sealed record HealthAnswer(string Status, IReadOnlyDictionary<string, string> Checks);

/// <summary>Healthy when a blob could be stored now (see <see cref="PackageStorage.CanWriteAsync"/>).</summary>
internal sealed class StorageHealthCheck(PackageStorage storage) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        await storage.CanWriteAsync(cancellationToken)
            ? HealthCheckResult.Healthy()
            : new HealthCheckResult(context.Registration.FailureStatus, "Package storage cannot be written.");
}
