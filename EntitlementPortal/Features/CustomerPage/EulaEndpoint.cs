using EntitlementPortal.Features.Downloads;
using EntitlementPortal.Features.Shared;

namespace EntitlementPortal.Features.CustomerPage;

/// <summary>
/// <c>POST /dl/{token}/{repo}/eula</c>: 204 for a script, a redirect back to the download page for the page's form
/// (a browser); the token is checked as its index checks it. Accepting is not a download: no event, no counting.
/// </summary>
internal static class EulaEndpoint
{
    public static async Task<IResult> AcceptAsync(HttpContext http, string repo, string token)
    {
        var services = http.RequestServices;
        var credentials = DownloadCredentials.FromPath(token);
        var record = DownloadEndpoints.NewEvent(http, repo, credentials, target: null);
        var (_, accessor, refusal) = await services.GetRequiredService<DownloadService>()
            .ResolveListingAsync(repo, credentials, http.Request, record, http.RequestAborted);
        var fromPage = CustomerPageRequest.WantsPage(http.Request);
        var page = $"{http.Request.PathBase}/dl/{Uri.EscapeDataString(token)}/{Uri.EscapeDataString(repo)}/";
        if (refusal is null && accessor?.Token is null)
        {
            refusal = new DownloadRefusal(StatusCodes.Status401Unauthorized, "invalid_token", "Unknown token.");
        }
        if (refusal is not null)
        {
            // The page shows the refusal the index gives (a redirect would only land there).
            return fromPage ? SeeOther(http, page) : DownloadEndpoints.Refuse(http, refusal);
        }
        try
        {
            await services.GetRequiredService<EulaAcceptance>().AcceptAsync(accessor!.Token!.Id, http.Connection.RemoteIpAddress?.ToString(), http.RequestAborted);
        }
        catch (ConflictException conflict) when (!fromPage)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, detail: conflict.Message,
                extensions: new Dictionary<string, object?> { ["reason"] = "eula_not_required" });
        }
        catch (ConflictException) when (fromPage)
        {
            return SeeOther(http, page);
        }
        // See Other: the browser goes back to the page with a GET, and a reload doesn't post again.
        return fromPage ? SeeOther(http, page) : TypedResults.NoContent();
    }

    private static IResult SeeOther(HttpContext http, string location)
    {
        http.Response.Headers.Location = location;
        return TypedResults.StatusCode(StatusCodes.Status303SeeOther);
    }
}
