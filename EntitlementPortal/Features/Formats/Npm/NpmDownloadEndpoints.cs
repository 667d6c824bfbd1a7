using EntitlementPortal.Features.Downloads;

namespace EntitlementPortal.Features.Formats.Npm;

/// <summary>
/// The registry routes npm installs from, under both download forms: packuments (never counted) and tarballs (a
/// download, through the one download decision). Scoped names arrive as <c>@scope%2fname</c> (what npm sends) or
/// <c>@scope/name</c> (the tarball URLs' convention).
/// </summary>
public static class NpmDownloadEndpoints
{
    public static void MapNpmDownloads(this FormatRoutes routes)
    {
        routes.MapGet("/npm/{name}", (string name, FormatRequest request, FormatDownloads downloads) =>
            PackumentAsync(request, downloads, NpmNames.FromRoute(name)));
        routes.MapGet("/npm/{scope}/{name}", (string scope, string name, FormatRequest request, FormatDownloads downloads) =>
            PackumentAsync(request, downloads, $"{scope}/{name}"));
        routes.MapGet("/npm/{name}/-/{filename}", (string name, string filename, FormatRequest request, FormatDownloads downloads) =>
            TarballAsync(request, downloads, NpmNames.FromRoute(name), filename));
        routes.MapGet("/npm/{scope}/{name}/-/{filename}", (string scope, string name, string filename, FormatRequest request, FormatDownloads downloads) =>
            TarballAsync(request, downloads, $"{scope}/{name}", filename));
    }

    private static async Task<IResult> PackumentAsync(FormatRequest request, FormatDownloads downloads, string name)
    {
        var index = await downloads.OpenIndexAsync(request, PackageFormats.Npm, name, NpmErrors.Refusal);
        if (index.Refusal is { } refusal)
        {
            return refusal;
        }
        var files = index.Files.Where(f => string.Equals(f.Package, name, StringComparison.Ordinal)).ToList();
        if (files.Count == 0)
        {
            return await index.AnswerAsync(NpmErrors.Json(StatusCodes.Status404NotFound, "Not found"), StatusCodes.Status404NotFound, "not_found");
        }
        // npm asks for the abbreviated document first; it holds everything an install needs.
        var abbreviated = request.Http.Request.Headers.Accept.ToString().Contains(NpmPackument.AbbreviatedMediaType, StringComparison.OrdinalIgnoreCase);
        var document = NpmPackument.Build(name, files, request.AbsoluteBase + "/npm", abbreviated);
        return await index.AnswerAsync(TypedResults.Text(document.ToJsonString(), abbreviated ? NpmPackument.AbbreviatedMediaType : "application/json"));
    }

    private static Task<IResult> TarballAsync(FormatRequest request, FormatDownloads downloads, string name, string filename) =>
        // A file name that is no tarball of this name finds no file: the decision answers it (and records it) as a 404.
        downloads.DownloadAsync(request, name, NpmNames.VersionOfTarball(name, filename) ?? "", filename, NpmErrors.Refusal);
}

/// <summary>Errors as npm prints them: it appends the JSON body's "error" to the status line.</summary>
internal static class NpmErrors
{
    public static IResult Json(int status, string error) =>
        TypedResults.Json(new Dictionary<string, string> { ["error"] = error }, statusCode: status);

    /// <summary>A download refusal with the Basic challenge (npm then sends its _auth) and Retry-After kept.</summary>
    public static IResult Refusal(HttpContext http, DownloadRefusal refusal)
    {
        DownloadEndpoints.AddRefusalHeaders(http, refusal);
        return Json(refusal.Status, refusal.Detail);
    }
}
