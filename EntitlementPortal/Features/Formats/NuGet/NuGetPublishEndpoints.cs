using EntitlementPortal.Features.Api;
using EntitlementPortal.Features.Packages;
using EntitlementPortal.Features.Shared;
using FluentValidation;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Net.Http.Headers;

namespace EntitlementPortal.Features.Formats.NuGet;

/// <summary>
/// What <c>dotnet nuget push -s $PORTAL/api/v1/repos/{repo}/nuget/v3/index.json -k $KEY</c> talks to: a service index
/// that answers without a key (NuGet reads it before it sends the key) naming the push resource, and the push itself,
/// a PUT of multipart/form-data with the .nupkg and the key in X-NuGet-ApiKey.
/// </summary>
public static class NuGetPublishEndpoints
{
    // Room for multipart framing on top of the package itself.
    private const long FormOverheadBytes = 64 * 1024;

    public static void Map(RouteGroupBuilder api)
    {
        var nuget = api.MapGroup("/repos/{repo}/nuget").WithTags("NuGet");

        nuget.MapGet("/v3/index.json", (string repo, HttpContext http) =>
                TypedResults.Json(new ServiceIndex("3.0.0", [new ServiceResource(PushUrl(http, repo), "PackagePublish/2.0.0")])))
            .AllowAnonymous()
            .WithSummary("NuGet publish service index")
            .WithDescription("The service index dotnet nuget push reads (no key needed); it names the push resource.");

        // NuGet puts to the resource's URL with a trailing slash; routing matches it with and without.
        nuget.MapPut("/package", PushAsync)
            .WithSummary("Push a NuGet package")
            .WithDescription("multipart/form-data with the .nupkg as the file part; id and version come from its .nuspec. "
                + "201 when stored, 409 when the version exists, 400 for an invalid package.")
            .Produces(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge);
    }

    private static string PushUrl(HttpContext http, string repo) =>
        $"{http.Request.Scheme}://{http.Request.Host}{http.Request.PathBase}{ManagementApi.BasePath}/repos/{Uri.EscapeDataString(repo)}/nuget/package";

    private static async Task<IResult> PushAsync(
        string repo, HttpContext http, FormatPublishing publishing, PackageFormats formats, PackageStorage storage, CancellationToken ct)
    {
        // The storage limit is the real one (and answers 413); Kestrel's default 30 MB cap must not cut in first.
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = storage.MaxUploadBytes + FormOverheadBytes;
        }
        try
        {
            var boundary = MultipartFormBody.BoundaryOf(http.Request.ContentType)
                ?? throw NupkgArchive.Invalid("Send the package as multipart/form-data, as dotnet nuget push does.");
            var body = new MultipartFormBody(boundary, http.Request.Body);
            while (await body.ReadNextSectionAsync(ct) is { } section)
            {
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)
                    || !(disposition.FileName.HasValue || disposition.FileNameStar.HasValue))
                {
                    continue;
                }
                // NuGet names the part "package" and the file "package.nupkg": the stored name comes from the .nuspec.
                var filename = HeaderUtilities.RemoveQuotes(disposition.FileNameStar.HasValue ? disposition.FileNameStar : disposition.FileName).Value;
                var format = formats.Find(PackageFormats.NuGet)!;
                var created = await publishing.PublishAsync(Actor.From(http), repo, format, filename, section.Body, cancellationToken: ct);
                return TypedResults.Created($"{ManagementApi.BasePath}/repos/{repo}/packages/{created.Id}", created);
            }
            throw NupkgArchive.Invalid("The request has no package file part; push a .nupkg.");
        }
        catch (Exception ex) when (NuGetPushRefusal.StatusOf(ex) is { } status)
        {
            return NuGetPushRefusal.Render(http, status, ex.Message is { Length: > 0 } && ex is not ValidationException
                ? ex.Message
                : string.Join(" ", ((ValidationException)ex).Errors.Select(e => e.ErrorMessage).Distinct()));
        }
    }
}
