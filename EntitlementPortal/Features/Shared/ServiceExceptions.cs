namespace EntitlementPortal.Features.Shared;

/// <summary>
/// Outcomes a service reports instead of a value. Pages show them as messages (or field errors); the API
/// turns them into problem details with the matching status (see ApiExceptionHandler).
/// </summary>
public abstract class ServiceException(string message) : Exception(message);

/// <summary>404: the thing does not exist, or the actor may not know that it does.</summary>
public sealed class NotFoundException(string what) : ServiceException($"{what} was not found.");

/// <summary>403: the actor is known but not allowed to do this.</summary>
public sealed class ForbiddenException(string message) : ServiceException(message);

/// <summary>409: the request is valid on its own but clashes with what is stored (duplicate, still in use).</summary>
public sealed class ConflictException(string field, string message) : ServiceException(message)
{
    public string Field { get; } = field;
}

/// <summary>
/// 409 until confirmed: the change is allowed but has a consequence the person must accept first
/// (the UI asks; API callers repeat the request with <c>?confirm=true</c>).
/// </summary>
public sealed class ConfirmationRequiredException(string field, string message, string confirmParameter = "confirm")
    : ServiceException(message)
{
    public string Field { get; } = field;

    /// <summary>The query parameter an API caller sets to true to confirm.</summary>
    public string ConfirmParameter { get; } = confirmParameter;
}

/// <summary>413: the upload is larger than the configured limit; nothing of it was kept.</summary>
public sealed class PayloadTooLargeException(string message) : ServiceException(message);
