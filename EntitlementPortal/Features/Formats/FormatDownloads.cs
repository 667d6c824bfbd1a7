using EntitlementPortal.Features.Downloads;

namespace EntitlementPortal.Features.Formats;

/// <summary>
/// What a format route asks of the download path, and nothing more: the files a caller may see (an index, never
/// counted, obeying the token's state and package query) and the download of one file (the same decision, counting
/// and event as a raw download). Formats only translate names and render their client's documents.
/// </summary>
public sealed class FormatDownloads(IServiceProvider services)
{
    /// <summary>
    /// Checks the caller and lists the files of <paramref name="format"/> it may see. The answer is recorded as an
    /// event (not a download) when the format calls <see cref="FormatIndex.AnswerAsync"/>, or at once for a refusal.
    /// </summary>
    public async Task<FormatIndex> OpenIndexAsync(
        FormatRequest request, string format, string? package = null, Func<HttpContext, DownloadRefusal, IResult>? refuse = null)
    {
        var http = request.Http;
        var record = DownloadEndpoints.NewEvent(http, request.Repo, request.Credentials,
            package is null ? null : new DownloadTarget(request.Repo, package, "", ""));
        var (files, refusal) = await services.GetRequiredService<DownloadService>()
            .ListAsync(request.Repo, request.Credentials, http.Request, record, request.Aborted, format);
        if (refusal is not null)
        {
            await DownloadEndpoints.EnqueueAsync(http.RequestServices, record, refusal.Status, 0, refusal.Reason);
            return new FormatIndex(http, record, [], (refuse ?? TextRefusal)(http, refusal));
        }
        return new FormatIndex(http, record, files.Select(FormatFile.Of).ToList(), null);
    }

    /// <summary>Downloads one package file by its stored names: the raw routes' decision, counting and event.</summary>
    public Task<IResult> DownloadAsync(
        FormatRequest request, string package, string version, string filename, Func<HttpContext, DownloadRefusal, IResult>? refuse = null) =>
        DownloadEndpoints.DownloadAsync(request.Http, new DownloadTarget(request.Repo, package, version, filename), request.Credentials,
            publicRoute: false, refuse ?? TextRefusal);

    /// <summary>
    /// A refusal as package managers show it: the status with a one-line text body (pip, npm and NuGet print the
    /// status and, where they print anything, the body), plus the Basic challenge and Retry-After headers.
    /// </summary>
    public static IResult TextRefusal(HttpContext http, DownloadRefusal refusal)
    {
        DownloadEndpoints.AddRefusalHeaders(http, refusal);
        return TypedResults.Text(refusal.Detail + "\n", "text/plain; charset=utf-8", statusCode: refusal.Status);
    }
}

/// <summary>The files a caller may see in an index, and how the index request is recorded once answered.</summary>
public sealed class FormatIndex
{
    private readonly HttpContext http;
    private readonly DownloadEvent record;

    internal FormatIndex(HttpContext http, DownloadEvent record, IReadOnlyList<FormatFile> files, IResult? refusal)
    {
        this.http = http;
        this.record = record;
        Files = files;
        Refusal = refusal;
    }

    /// <summary>The refusal to return as is (already recorded), or null when the caller may see the index.</summary>
    public IResult? Refusal { get; }

    /// <summary>The visible files of the format, by package name, version (newest first) and filename.</summary>
    public IReadOnlyList<FormatFile> Files { get; }

    /// <summary>Records the index request (never a download) with the status it gets, and returns its answer.</summary>
    public async Task<IResult> AnswerAsync(IResult result, int status = StatusCodes.Status200OK, string? reason = null)
    {
        await DownloadEndpoints.EnqueueAsync(http.RequestServices, record, status, 0, reason);
        return result;
    }

    /// <summary>Records a 404 (no such project/package visible to this caller) and answers it as text.</summary>
    public Task<IResult> NotFoundAsync(string detail = "Not found.") =>
        AnswerAsync(TypedResults.Text(detail + "\n", "text/plain; charset=utf-8", statusCode: StatusCodes.Status404NotFound),
            StatusCodes.Status404NotFound, "not_found");
}

/// <summary>A package file as an index shows it, with what its format stored about the version and the file.</summary>
public sealed record FormatFile(
    string Package, string Version, IReadOnlyCollection<string> Tags, string Filename, long Size, string Sha256, DateTime UploadedAt,
    string? PackageMetadata, string? FileMetadata)
{
    internal static FormatFile Of(DownloadService.ListedFile f) =>
        new(f.Package, f.Version, f.Tags, f.File.Filename, f.File.Size, f.File.Sha256, f.File.UploadedAt, f.PackageMetadata, f.FileMetadata);
}
