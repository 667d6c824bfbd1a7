using System.Data.Common;
using System.Net.Sockets;
using EntitlementPortal.Features.Api;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace EntitlementPortal.Hosting;

/// <summary>
/// While the database server is unreachable (stopped, restarting, network gone), downloads and API calls answer
/// 503 with a problem body and <c>Retry-After</c> instead of a 500: the client should simply try again, and nothing
/// was counted or changed (the request's transaction never committed). The pooled connections recover by themselves
/// once the server is back. Pages keep the error page.
/// </summary>
public sealed class DatabaseUnavailableHandler(IProblemDetailsService problems, ILogger<DatabaseUnavailableHandler> logger) : IExceptionHandler
{
    public const string Reason = "database_unavailable";
    private const int RetryAfterSeconds = 5;

    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        var path = new PathString(context.Features.Get<IExceptionHandlerPathFeature>()?.Path ?? context.Request.Path.Value);
        var download = path.StartsWithSegments("/dl");
        if (!IsDatabaseUnreachable(exception) || context.Response.HasStarted || !(download || ManagementApi.IsApiPath(path.Value)))
        {
            return false;
        }
        logger.LogWarning("The database cannot be reached ({Error}); {Path} answered 503.", exception.GetBaseException().Message, download ? "/dl" : "/api");
        context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        context.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var problem = new ProblemDetails
        {
            Status = StatusCodes.Status503ServiceUnavailable,
            Title = "Service unavailable",
            Detail = "The portal cannot reach its database right now; nothing was counted or changed. Try again shortly.",
        };
        problem.Extensions["reason"] = Reason;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem, Exception = exception });
    }

    /// <summary>True when the exception (or one it wraps) says the database server could not be reached or went away.</summary>
    public static bool IsDatabaseUnreachable(Exception exception)
    {
        for (Exception? current = exception; current is not null; current = current.InnerException)
        {
            if (current is DbException { IsTransient: true } or SocketException or TimeoutException)
            {
                return true;
            }
        }
        return false;
    }
}
