using System.Text.Json;
using EntitlementPortal.Features.Shared;
using FluentValidation;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace EntitlementPortal.Features.Api;

/// <summary>
/// Turns what the services report into RFC 9457 problem details for API callers. Requests outside the API
/// fall through to the portal's error page.
/// </summary>
public sealed class ApiExceptionHandler(IProblemDetailsService problems, ILogger<ApiExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        // The middleware has already pointed Request.Path at the error page; the original path is in the feature.
        var path = context.Features.Get<IExceptionHandlerPathFeature>()?.Path ?? context.Request.Path.Value;
        if (!ManagementApi.IsApiPath(path))
        {
            return false;
        }

        ProblemDetails problem = exception switch
        {
            ValidationException validation => new HttpValidationProblemDetails(
                validation.Errors
                    .GroupBy(e => ApiFieldName(e.PropertyName))
                    .ToDictionary(g => g.Key, g => g.Select(e => e.ErrorMessage).Distinct().ToArray()))
            {
                Status = StatusCodes.Status400BadRequest,
                Title = "The request is not valid.",
                Detail = string.Join(" ", validation.Errors.Select(e => e.ErrorMessage).Distinct()),
            },
            ConflictException conflict => new HttpValidationProblemDetails(
                new Dictionary<string, string[]> { [ApiFieldName(conflict.Field)] = [conflict.Message] })
            {
                Status = StatusCodes.Status409Conflict,
                Title = "Conflict",
                Detail = conflict.Message,
            },
            ConfirmationRequiredException confirm => new HttpValidationProblemDetails(
                new Dictionary<string, string[]> { [ApiFieldName(confirm.Field)] = [confirm.Message] })
            {
                Status = StatusCodes.Status409Conflict,
                Title = "Confirmation required",
                Detail = confirm.Message + $" Repeat the request with ?{confirm.ConfirmParameter}=true.",
            },
            NotFoundException notFound => new ProblemDetails { Status = StatusCodes.Status404NotFound, Title = "Not found", Detail = notFound.Message },
            PayloadTooLargeException tooLarge => new ProblemDetails { Status = StatusCodes.Status413PayloadTooLarge, Title = "Payload too large", Detail = tooLarge.Message },
            ForbiddenException forbidden => new ProblemDetails { Status = StatusCodes.Status403Forbidden, Title = "Forbidden", Detail = forbidden.Message },
            BadHttpRequestException badRequest => BadRequest(badRequest),
            // The object store is away: nothing was kept (an upload's temp object is removed or swept), try again later.
            Packages.Storage.BlobStoreUnavailableException => new ProblemDetails { Status = StatusCodes.Status503ServiceUnavailable, Title = "Storage unavailable", Detail = "Package storage is temporarily unavailable; nothing was changed. Try again later." },
            _ => new ProblemDetails
            {
                Status = StatusCodes.Status500InternalServerError,
                Title = "Unexpected error",
                Detail = "Something went wrong on the server; nothing was changed by this request. Try again, and report the trace id if it persists.",
            },
        };

        if (problem.Status == StatusCodes.Status500InternalServerError)
        {
            logger.LogError(exception, "Unhandled error in {Method} {Path}", context.Request.Method, context.Request.Path);
        }
        context.Response.StatusCode = problem.Status!.Value;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem, Exception = exception });
    }

    private static ProblemDetails BadRequest(BadHttpRequestException exception)
    {
        // Malformed JSON, an unknown field or a value of the wrong type: say where, keyed by the field when we know it.
        if (exception.InnerException is JsonException { Path: { Length: > 2 } unknownPath } unknown
            && unknownPath.StartsWith("$.", StringComparison.Ordinal)
            && unknown.Message.StartsWith("The JSON property", StringComparison.Ordinal))
        {
            // The framework's message names the .NET type; the caller needs only the field.
            var field = unknownPath[2..];
            return new HttpValidationProblemDetails(new Dictionary<string, string[]>
            {
                [field] = [$"'{field}' is not a field of this resource."],
            })
            {
                Status = StatusCodes.Status400BadRequest,
                Title = "The request body is not valid.",
                Detail = $"'{field}' is not a field of this resource; nothing was changed.",
            };
        }
        // A value of the wrong type ("could not be converted") names its field; broken JSON syntax does not.
        if (exception.InnerException is JsonException { Path: { Length: > 2 } path, InnerException: null } json
            && path.StartsWith("$.", StringComparison.Ordinal)
            && json.Message.StartsWith("The JSON value could not be converted", StringComparison.Ordinal))
        {
            var field = path[2..];
            return new HttpValidationProblemDetails(new Dictionary<string, string[]>
            {
                [field] = [$"'{field}' has a value of the wrong type or format."],
            })
            {
                Status = StatusCodes.Status400BadRequest,
                Title = "The request body is not valid.",
                Detail = $"'{field}' has a value of the wrong type or format (line {json.LineNumber + 1}).",
            };
        }
        return new ProblemDetails
        {
            Status = exception.StatusCode,
            Title = "Bad request",
            Detail = exception.InnerException is JsonException syntax
                ? $"The request body is not valid JSON (line {syntax.LineNumber + 1}, position {syntax.BytePositionInLine + 1})."
                : exception.Message,
        };
    }

    /// <summary>Form models keep JSON text in "XxxJson" properties; the API calls that field "xxx".</summary>
    public static string ApiFieldName(string propertyName)
    {
        if (string.IsNullOrEmpty(propertyName))
        {
            return "";
        }
        var name = propertyName.EndsWith("Json", StringComparison.Ordinal) && propertyName.Length > 4
            ? propertyName[..^4]
            : propertyName;
        return JsonNamingPolicy.CamelCase.ConvertName(name);
    }
}
