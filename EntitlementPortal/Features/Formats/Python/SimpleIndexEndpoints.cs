using EntitlementPortal.Features.Packages;

namespace EntitlementPortal.Features.Formats.Python;

/// <summary>
/// The simple repository routes under both download forms: the project list and a project's page (index requests:
/// never counted, obeying the token's state and package query) and the file route (a download, through the one
/// download decision).
/// </summary>
public static class SimpleIndexEndpoints
{
    public static void MapPythonIndex(this FormatRoutes routes)
    {
        routes.MapGet("/python/simple/", ProjectsAsync);
        routes.MapGet("/python/simple/{project}/", ProjectAsync);
        routes.MapGet("/python/files/{project}/{version}/{filename}", FileAsync);
    }

    // A distribution's name never ends in ".metadata" (it ends in .whl, .tar.gz or .zip): that suffix is PEP 658's.
    private static Task<IResult> FileAsync(
        FormatRequest request, string project, string version, string filename, FormatDownloads downloads, PackageStorage storage) =>
        filename.EndsWith(".whl" + CoreMetadataFile.Suffix, StringComparison.OrdinalIgnoreCase)
            ? CoreMetadataFile.AnswerAsync(request, project, version, filename[..^CoreMetadataFile.Suffix.Length], downloads, storage)
            : downloads.DownloadAsync(request, project, version, filename);

    private static async Task<IResult> ProjectsAsync(FormatRequest request, FormatDownloads downloads)
    {
        var index = await downloads.OpenIndexAsync(request, PackageFormats.Python);
        if (index.Refusal is { } refusal)
        {
            return refusal;
        }
        if (WithoutTrailingSlash(request) is { } redirect)
        {
            return await index.AnswerAsync(redirect, StatusCodes.Status301MovedPermanently);
        }
        if (Negotiate(request) is not { } contentType)
        {
            return await NotAcceptableAsync(index);
        }
        var projects = index.Files.Select(f => f.Package).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        return await index.AnswerAsync(Document(SimpleIndexDocuments.Projects(projects, contentType), contentType));
    }

    private static async Task<IResult> ProjectAsync(FormatRequest request, string project, FormatDownloads downloads)
    {
        var normalized = PythonNames.Normalize(project);
        var index = await downloads.OpenIndexAsync(request, PackageFormats.Python, normalized);
        if (index.Refusal is { } refusal)
        {
            return refusal;
        }
        // PEP 503: a name in another spelling ("My_Pkg") redirects to the normalised URL.
        if (normalized != project)
        {
            return await index.AnswerAsync(
                Redirect($"{request.BasePath}/python/simple/{Uri.EscapeDataString(normalized)}/"), StatusCodes.Status301MovedPermanently);
        }
        if (WithoutTrailingSlash(request) is { } slash)
        {
            return await index.AnswerAsync(slash, StatusCodes.Status301MovedPermanently);
        }
        var files = index.Files.Where(f => f.Package == normalized).ToList();
        if (files.Count == 0)
        {
            // Hidden by the package query, never published, or not a Python project: the same answer for all three.
            return await index.NotFoundAsync($"No Python project '{normalized}' here.");
        }
        if (Negotiate(request) is not { } contentType)
        {
            return await NotAcceptableAsync(index);
        }
        return await index.AnswerAsync(Document(SimpleIndexDocuments.Project(normalized, files, contentType), contentType));
    }

    private static string? Negotiate(FormatRequest request)
    {
        request.Http.Response.Headers.Vary = "Accept";
        return SimpleContentType.Choose(request.Http.Request.Headers.Accept.ToString());
    }

    private static IResult Document(string body, string contentType) =>
        // Kestrel sends no body for HEAD, with the headers of GET.
        TypedResults.Text(body, SimpleContentType.Header(contentType));

    private static Task<IResult> NotAcceptableAsync(FormatIndex index) =>
        index.AnswerAsync(TypedResults.Text(
                $"Accept one of {SimpleContentType.Json}, {SimpleContentType.Html} or {SimpleContentType.TextHtml}.\n",
                "text/plain; charset=utf-8", statusCode: StatusCodes.Status406NotAcceptable),
            StatusCodes.Status406NotAcceptable, "not_acceptable");

    // Relative links only resolve from ".../simple/" and ".../simple/{project}/": send a client without the slash there.
    private static IResult? WithoutTrailingSlash(FormatRequest request)
    {
        var http = request.Http.Request;
        return http.Path.Value is { } path && !path.EndsWith('/')
            ? Redirect($"{http.PathBase.ToUriComponent()}{http.Path.ToUriComponent()}/{http.QueryString.ToUriComponent()}")
            : null;
    }

    private static IResult Redirect(string location) => TypedResults.Redirect(location, permanent: true);
}
