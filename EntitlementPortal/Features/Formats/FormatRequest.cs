using EntitlementPortal.Features.Downloads;

namespace EntitlementPortal.Features.Formats;

/// <summary>
/// A request on a format route, in either form: the token form <c>/dl/{token}/{repo}/…</c> or the basic form
/// <c>/dl/basic/{repo}/…</c> (HTTP Basic, user "token"). Route handlers take it as a parameter.
/// </summary>
public sealed class FormatRequest
{
    private FormatRequest(HttpContext http, string repo, string? token)
    {
        Http = http;
        Repo = repo;
        Token = token;
        Credentials = token is null ? DownloadEndpoints.BasicCredentials(http) : DownloadCredentials.FromPath(token);
    }

    public HttpContext Http { get; }

    public string Repo { get; }

    /// <summary>The token of the token form; null on the basic form.</summary>
    public string? Token { get; }

    internal DownloadCredentials? Credentials { get; }

    public CancellationToken Aborted => Http.RequestAborted;

    /// <summary>The form's path up to the repository, escaped: "/dl/{token}/{repo}" or "/dl/basic/{repo}".</summary>
    public string BasePath => Token is null
        ? $"{Http.Request.PathBase}/dl/basic/{Uri.EscapeDataString(Repo)}"
        : $"{Http.Request.PathBase}/dl/{Uri.EscapeDataString(Token)}/{Uri.EscapeDataString(Repo)}";

    /// <summary>The same as an absolute URL, for clients that need one (npm's dist.tarball, NuGet's service index).</summary>
    public string AbsoluteBase => $"{Http.Request.Scheme}://{Http.Request.Host}{BasePath}";

    /// <summary>Binds from the route values of a format route group (see <see cref="FormatRoutes"/>).</summary>
    public static ValueTask<FormatRequest?> BindAsync(HttpContext http)
    {
        var values = http.Request.RouteValues;
        var repo = values["repo"] as string ?? "";
        var token = values.TryGetValue("token", out var value) ? value as string : null;
        return ValueTask.FromResult<FormatRequest?>(new FormatRequest(http, repo, token));
    }
}

/// <summary>
/// The two forms every format route exists in. A format maps each route once here and gets it under both
/// <c>/dl/{token}/{repo}</c> and <c>/dl/basic/{repo}</c> (the literal "basic" outranks a token in routing).
/// </summary>
public sealed class FormatRoutes
{
    private readonly RouteGroupBuilder[] forms;

    internal FormatRoutes(IEndpointRouteBuilder endpoints)
    {
        forms =
        [
            endpoints.MapGroup("/dl/{token}/{repo}"),
            endpoints.MapGroup("/dl/basic/{repo}"),
        ];
        foreach (var form in forms)
        {
            form.AllowAnonymous().DisableAntiforgery().ExcludeFromDescription();
        }
    }

    public void MapGet(string pattern, Delegate handler)
    {
        foreach (var form in forms)
        {
            form.MapMethods(pattern, [HttpMethods.Get, HttpMethods.Head], handler);
        }
    }
}
