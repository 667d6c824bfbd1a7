namespace EntitlementPortal.Hosting;

/// <summary>
/// Headers every response carries, whoever produced it: pages, the API, downloads, static files, error pages and
/// 404s. Set in <see cref="HttpResponse.OnStarting(Func{Task})"/> so they survive an exception handler or a status
/// code page that clears the response and writes a new one.
/// </summary>
public static class SecurityHeaders
{
    public const string ApiReferencePath = "/api-reference";

    /// <summary>
    /// The portal's policy. Scripts only from this origin (Blazor Server and MudBlazor need nothing else: no eval,
    /// no WebAssembly), plus the response's nonce for the one inline script, the import map. Styles allow inline
    /// because MudBlazor sets style attributes and writes its theme as a style element. connect-src 'self' covers
    /// the circuit's WebSocket. frame-ancestors 'none' (with X-Frame-Options for old browsers) stops clickjacking.
    /// </summary>
    private const string PortalPolicy =
        "default-src 'self'; script-src 'self'{0}; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; "
        + "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    /// <summary>
    /// The Scalar API reference (a bundle served from this app, no CDN): its inline start-up script runs by nonce;
    /// it also builds styles and images at run time and starts workers from blob URLs.
    /// </summary>
    private const string ApiReferencePolicy =
        "default-src 'self'; script-src 'self'{0}; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; "
        + "connect-src 'self'; worker-src 'self' blob:; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            context.Response.OnStarting(static state =>
            {
                Apply((HttpContext)state);
                return Task.CompletedTask;
            }, context);
            return next(context);
        });

    private static void Apply(HttpContext context)
    {
        var headers = context.Response.Headers;
        // A browser must never guess a type: an uploaded file served as text/plain must not turn into HTML or script.
        headers.XContentTypeOptions = "nosniff";
        // Download URLs hold the token: another site must never see them in a Referer header, and under /dl (the
        // customer's download page, whose own URL is the credential) not even this one.
        headers["Referrer-Policy"] = context.Request.Path.StartsWithSegments("/dl") ? "no-referrer" : "same-origin";
        headers.XFrameOptions = "DENY";
        var nonce = CspNonce.Issued(context) is { } issued ? $" 'nonce-{issued}'" : "";
        var policy = context.Request.Path.StartsWithSegments(ApiReferencePath) ? ApiReferencePolicy : PortalPolicy;
        headers.ContentSecurityPolicy = string.Format(System.Globalization.CultureInfo.InvariantCulture, policy, nonce);
    }
}
