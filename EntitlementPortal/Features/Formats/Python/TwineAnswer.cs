using System.Text;
using Microsoft.AspNetCore.Http.Features;

namespace EntitlementPortal.Features.Formats.Python;

/// <summary>
/// An upload answer as twine shows it: twine prints "HTTPError: 400 Bad Request from URL" and then the response's
/// reason phrase (PyPI puts its message there), so the message goes in the reason phrase (ASCII, one line) and
/// in a text body for other clients.
/// </summary>
internal sealed class TwineAnswer(int status, string message) : IResult
{
    private const int MaxReasonLength = 400;

    public int Status => status;

    public string Message => message;

    public Task ExecuteAsync(HttpContext httpContext)
    {
        httpContext.Response.StatusCode = status;
        if (httpContext.Features.Get<IHttpResponseFeature>() is { } response)
        {
            response.ReasonPhrase = Reason(message);
        }
        httpContext.Response.ContentType = "text/plain; charset=utf-8";
        return httpContext.Response.WriteAsync(message + "\n", Encoding.UTF8);
    }

    // A reason phrase is visible ASCII and spaces only (RFC 9112): anything else becomes '?'.
    private static string Reason(string text)
    {
        var reason = new string(text.Select(c => c is >= ' ' and <= '~' ? c : c is '‘' or '’' ? '\'' : '?').ToArray());
        return reason.Length > MaxReasonLength ? reason[..MaxReasonLength] : reason;
    }
}
