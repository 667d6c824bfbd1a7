using Microsoft.Net.Http.Headers;

namespace EntitlementPortal.Features.Downloads;

/// <summary>
/// A decided and counted download answered with headers only: nginx sends the bytes from the internal location
/// named in X-Accel-Redirect (see docs/nginx/entitlementportal.conf). Only for plans nginx sends exactly as
/// decided (<see cref="AccelRedirectOffload.Sends"/>). The portal does not see the transfer, so the history
/// records the planned bytes and nothing is refunded when a client goes away early.
/// </summary>
internal sealed class AccelRedirectFileResult(ServedFile file, string location, Func<long, Task> finished) : IResult
{
    public async Task ExecuteAsync(HttpContext http)
    {
        try
        {
            var response = http.Response;
            // nginx answers with its own 200 or 206 (it applies the Range the plan was made from) and Content-Length.
            response.StatusCode = StatusCodes.Status200OK;
            var headers = response.GetTypedHeaders();
            // The internal location passes these on in place of nginx's own (add_header $upstream_http_*).
            headers.ETag = new EntityTagHeaderValue(file.Validators.ETag);
            headers.LastModified = file.Validators.LastModified;
            // nginx keeps the upstream's Content-Type and Content-Disposition when it follows X-Accel-Redirect.
            response.ContentType = SafeContentType.For(file.ContentType);
            var disposition = new ContentDispositionHeaderValue("attachment");
            disposition.SetHttpFileName(file.Filename);
            response.Headers.ContentDisposition = disposition.ToString();
            response.Headers["X-Accel-Redirect"] = location;
            // Every request must reach the portal to be decided and counted: nginx must never cache this answer.
            response.Headers["X-Accel-Expires"] = "0";
            response.ContentLength = 0;
        }
        finally
        {
            await finished(file.Plan.Length);
        }
    }
}
