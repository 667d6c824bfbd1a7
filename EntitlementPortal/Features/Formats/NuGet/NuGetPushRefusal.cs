using EntitlementPortal.Features.Shared;
using FluentValidation;
using Microsoft.AspNetCore.Http.Features;

namespace EntitlementPortal.Features.Formats.NuGet;

/// <summary>
/// A refused push as dotnet nuget push shows it: NuGet prints the status code with the response's reason phrase
/// ("Response status code does not indicate success: 409 (…)"), not the body, so the reason travels in the status
/// line (as nuget.org does) and again as problem details for other callers.
/// </summary>
public static class NuGetPushRefusal
{
    private const int MaxReasonLength = 300;

    public static int? StatusOf(Exception exception) => exception switch
    {
        ValidationException => StatusCodes.Status400BadRequest,
        ConflictException => StatusCodes.Status409Conflict,
        ForbiddenException => StatusCodes.Status403Forbidden,
        NotFoundException => StatusCodes.Status404NotFound,
        PayloadTooLargeException => StatusCodes.Status413PayloadTooLarge,
        BadHttpRequestException bad => bad.StatusCode,
        _ => null,
    };

    public static IResult Render(HttpContext http, int status, string message)
    {
        if (http.Features.Get<IHttpResponseFeature>() is { } response)
        {
            response.ReasonPhrase = ReasonPhrase(message);
        }
        return TypedResults.Problem(statusCode: status, detail: message);
    }

    /// <summary>The message as a status line can carry it: printable ASCII on one line, shortened.</summary>
    internal static string ReasonPhrase(string message)
    {
        var ascii = new string(message.Select(c => c is >= ' ' and <= '~' ? c : c == '…' ? '.' : ' ').ToArray()).Trim();
        return ascii.Length <= MaxReasonLength ? ascii : ascii[..(MaxReasonLength - 3)] + "...";
    }
}
