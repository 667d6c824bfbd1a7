using Microsoft.AspNetCore.Diagnostics;

namespace EntitlementPortal.Hosting;

/// <summary>
/// A request to a page that cannot be read (a form post without its antiforgery token, a malformed form) is the
/// client's fault, so it gets its 4xx here. Left to the error page, the re-executed request would read the same broken
/// form, fail again, and leave Kestrel to send a bare answer without the security headers, after two error entries
/// with stack traces. API requests never get here: <c>ApiExceptionHandler</c> answers them with problem details first.
/// </summary>
public sealed class PageBadRequestHandler : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException badRequest || httpContext.Response.HasStarted)
        {
            return false;
        }
        httpContext.Response.StatusCode = badRequest.StatusCode;
        httpContext.Response.ContentType = "text/plain; charset=utf-8";
        await httpContext.Response.WriteAsync(
            "The request could not be read (a form without its security token, or a malformed form). Go back, reload the page and try again.",
            cancellationToken);
        return true;
    }
}
