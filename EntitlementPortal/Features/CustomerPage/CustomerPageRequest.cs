using Microsoft.Net.Http.Headers;

namespace EntitlementPortal.Features.CustomerPage;

/// <summary>
/// Whether an index request comes from a browser that wants the customer's download page: text/html listed before
/// JSON in <c>Accept</c> (http-contract.md). <c>*/*</c>, JSON or no Accept keep getting the JSON index that scripts
/// rely on, so curl and every existing client see no change.
/// </summary>
public static class CustomerPageRequest
{
    public static bool WantsPage(HttpRequest request)
    {
        if (!MediaTypeHeaderValue.TryParseList(request.Headers.Accept, out var accepted))
        {
            return false;
        }
        int? html = null, json = null;
        for (var i = 0; i < accepted.Count; i++)
        {
            var type = accepted[i];
            if (type.Quality == 0)
            {
                continue;
            }
            if (html is null && type.MediaType.Equals("text/html", StringComparison.OrdinalIgnoreCase))
            {
                html = i;
            }
            else if (json is null && (type.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
                || type.MediaType.Equals("application/problem+json", StringComparison.OrdinalIgnoreCase)))
            {
                json = i;
            }
        }
        return html is { } h && (json is not { } j || h < j);
    }
}
