using EntitlementPortal.Features.Packages;

namespace EntitlementPortal.Features.Downloads;

/// <summary>The download routes of http-contract.md. Every attempt, served or refused, becomes a DownloadEvent.</summary>
public static class DownloadEndpoints
{
    public static IEndpointRouteBuilder MapDownloads(this IEndpointRouteBuilder endpoints)
    {
        var dl = endpoints.MapGroup("/dl").AllowAnonymous().DisableAntiforgery().ExcludeFromDescription();
        string[] getHead = [HttpMethods.Get, HttpMethods.Head];

        dl.MapMethods("/public/{repo}/{package}/{version}/{filename}", getHead,
            (string repo, string package, string version, string filename, HttpContext http) =>
                DownloadAsync(http, new DownloadTarget(repo, package, version, filename), DownloadCredentials.None, publicRoute: true));

        dl.MapMethods("/basic/{repo}/{package}/{version}/{filename}", getHead,
            (string repo, string package, string version, string filename, HttpContext http) =>
                DownloadAsync(http, new DownloadTarget(repo, package, version, filename), BasicCredentials(http), publicRoute: false));

        dl.MapMethods("/{token}/{repo}/{package}/{version}/{filename}", getHead,
            (string token, string repo, string package, string version, string filename, HttpContext http) =>
                DownloadAsync(http, new DownloadTarget(repo, package, version, filename), DownloadCredentials.FromPath(token), publicRoute: false));

        dl.MapGet("/basic/{repo}/", (string repo, HttpContext http) =>
            IndexAsync(http, repo, BasicCredentials(http), token: null));

        dl.MapGet("/{token}/{repo}/", (string token, string repo, HttpContext http) =>
            IndexAsync(http, repo, DownloadCredentials.FromPath(token), token));

        dl.MapPost("/{token}/{repo}/eula", (string token, string repo, HttpContext http) =>
            CustomerPage.EulaEndpoint.AcceptAsync(http, repo, token));

        // Anything else under /dl (a short path, a dot-segment that collapsed) is a 404 problem, not a portal page,
        // and like every attempt it goes into the history.
        endpoints.MapFallback("/dl/{**rest}", async (string? rest, HttpContext http) =>
            {
                var (tokenPosition, repo, package, version, filename) = HistoryRedaction.Unmatched(rest);
                var basic = BasicCredentials(http);
                var record = NewEvent(http, repo ?? "", credentials: null, new DownloadTarget("", package!, version!, filename!),
                    presented: tokenPosition ?? basic?.Token ?? basic?.Password);
                await EnqueueAsync(http.RequestServices, record, StatusCodes.Status404NotFound, 0, "no_route");
                return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, detail: "Not found.");
            })
            .AllowAnonymous().ExcludeFromDescription();
        return endpoints;
    }

    internal static DownloadCredentials? BasicCredentials(HttpContext http) =>
        DownloadCredentials.FromBasicHeader(http.Request.Headers.Authorization.ToString());

    /// <summary>
    /// The one download decision every file route uses (raw and format routes): credentials, token rules, exact
    /// counting, the event. <paramref name="refuse"/> renders a refusal the way the route's client shows it.
    /// </summary>
    internal static async Task<IResult> DownloadAsync(
        HttpContext http, DownloadTarget target, DownloadCredentials? credentials, bool publicRoute,
        Func<HttpContext, DownloadRefusal, IResult>? refuse = null)
    {
        var services = http.RequestServices;
        var record = NewEvent(http, target.Repo, credentials, target);
        var outcome = await services.GetRequiredService<DownloadService>()
            .DecideAsync(target, credentials, publicRoute, http.Request, record, http.RequestAborted);

        if (outcome.Refusal is { } refusal)
        {
            await EnqueueAsync(services, record, refusal.Status, 0, refusal.Reason);
            return (refuse ?? Refuse)(http, refusal);
        }

        var file = outcome.File!;
        if (services.GetRequiredService<RedirectOffload>().TryRedirect(http, file) is { } redirect)
        {
            // Decided and counted: the redirect is the served download, with the whole file's bytes.
            await EnqueueAsync(services, record, file.Plan.Status, file.Validators.Size, null);
            return redirect;
        }
        Func<long, Task> finished = async sent =>
        {
            await EnqueueAsync(services, record, file.Plan.Status, sent, null);
            if (file.TokenId is { } tokenId && file.BytesCounted > sent)
            {
                // The client went away early: give back the bandwidth reserved for bytes it never got.
                await services.GetRequiredService<UsageLedger>().RefundBytesAsync(tokenId, file.BytesCounted - sent, CancellationToken.None);
            }
        };
        var offload = services.GetRequiredService<AccelRedirectOffload>();
        if (offload.Sends(http.Request, file.Plan))
        {
            return new AccelRedirectFileResult(file, offload.LocationOf(file.Sha256), finished);
        }
        if (offload.IsEnabled)
        {
            // Behind nginx the portal still sends some files itself: unbuffered, so it sees a client go away and refunds.
            http.Response.Headers["X-Accel-Buffering"] = "no";
        }
        return new FileDownloadResult(file, services.GetRequiredService<PackageStorage>(), services.GetRequiredService<CachedContentReader>(), finished);
    }

    private static async Task<IResult> IndexAsync(HttpContext http, string repo, DownloadCredentials? credentials, string? token)
    {
        var services = http.RequestServices;
        var record = NewEvent(http, repo, credentials, target: null);
        var (files, refusal) = await services.GetRequiredService<DownloadService>().ListAsync(repo, credentials, http.Request, record, http.RequestAborted);
        await EnqueueAsync(services, record, refusal?.Status ?? StatusCodes.Status200OK, 0, refusal?.Reason);
        if (CustomerPage.CustomerPageRequest.WantsPage(http.Request))
        {
            return await CustomerPage.CustomerPageResult.RenderAsync(http, repo, token, files, refusal, record.TokenId);
        }
        if (refusal is not null)
        {
            return Refuse(http, refusal);
        }
        var prefix = token is null ? $"/dl/basic/{Uri.EscapeDataString(repo)}" : $"/dl/{Uri.EscapeDataString(token)}/{Uri.EscapeDataString(repo)}";
        var index = files.Select(f => new IndexEntry(f.Package, f.Version, f.File.Filename, f.File.Size, f.File.Sha256,
            $"{prefix}/{Uri.EscapeDataString(f.Package)}/{Uri.EscapeDataString(f.Version)}/{Uri.EscapeDataString(f.File.Filename)}")).ToList();
        return TypedResults.Ok(index);
    }

    /// <summary>The headers every refusal carries, whatever its body: the Basic challenge and Retry-After.</summary>
    internal static void AddRefusalHeaders(HttpContext http, DownloadRefusal refusal)
    {
        if (refusal.Challenge)
        {
            http.Response.Headers.WWWAuthenticate = DownloadCredentials.Challenge;
        }
        if (refusal.RetryAfter is { } wait)
        {
            http.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
    }

    internal static IResult Refuse(HttpContext http, DownloadRefusal refusal)
    {
        AddRefusalHeaders(http, refusal);
        return TypedResults.Problem(statusCode: refusal.Status, detail: refusal.Detail, extensions: new Dictionary<string, object?> { ["reason"] = refusal.Reason });
    }

    /// <summary>The event as the history may keep it: no secret the request carried is stored (HistoryRedaction).</summary>
    internal static DownloadEvent NewEvent(HttpContext http, string repo, DownloadCredentials? credentials, DownloadTarget? target, string? presented = null)
    {
        var redaction = new HistoryRedaction(presented ?? credentials?.Token ?? credentials?.Password);
        var userAgent = http.Request.Headers.UserAgent.ToString();
        return new DownloadEvent
        {
            At = http.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime,
            Repo = redaction.Repo(repo),
            Package = Truncate(redaction.Text(target?.Package), 100),
            Version = Truncate(redaction.Text(target?.Version), 64),
            Filename = Truncate(redaction.Text(target?.Filename), 255),
            AuthMethod = credentials?.Method ?? AuthMethod.None,
            ClientIp = http.Connection.RemoteIpAddress?.ToString(),
            UserAgent = Truncate(redaction.Text(userAgent.Length == 0 ? null : userAgent), DownloadEventConfiguration.UserAgentMaxLength),
        };
    }

    internal static ValueTask EnqueueAsync(IServiceProvider services, DownloadEvent record, int status, long bytes, string? reason)
    {
        record.Status = status;
        record.Bytes = bytes;
        record.Reason = reason;
        return services.GetRequiredService<DownloadEventQueue>().AddAsync(record);
    }

    private static string? Truncate(string? value, int max) => value is null || value.Length <= max ? value : value[..max];
}
