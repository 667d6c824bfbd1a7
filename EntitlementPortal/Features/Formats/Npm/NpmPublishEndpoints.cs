using System.Text.Json;
using EntitlementPortal.Features.Packages;
using EntitlementPortal.Features.Shared;
using FluentValidation;
using Microsoft.AspNetCore.Http.Features;

namespace EntitlementPortal.Features.Formats.Npm;

/// <summary>
/// <c>npm publish --registry $PORTAL/api/v1/repos/{repo}/npm/</c>: a PUT of npm's JSON document to
/// <c>.../npm/{name}</c> (scoped: <c>@scope%2fname</c>) with the API key as <c>_authToken</c> (Bearer). Answers are
/// JSON <c>{"error": ...}</c>, which npm appends to the status it prints.
/// </summary>
public static class NpmPublishEndpoints
{
    // The body is parsed in memory (npm sends the tarball as one base64 string), so npm tarballs have their own
    // ceiling below Storage:MaxUploadBytes; the manifest beside the tarball (readme included) gets a slack.
    public const long MaxTarballBytes = 256L * 1024 * 1024;
    private const long ManifestSlackBytes = 16L * 1024 * 1024;

    public static void MapNpmPublishing(this RouteGroupBuilder api)
    {
        api.MapPut("/repos/{repo}/npm/{name}", (string repo, string name, HttpContext http, FormatPublishing publishing, PackageStorage storage, PackageFormats formats) =>
                PublishAsync(http, repo, NpmNames.FromRoute(name), publishing, storage, formats))
            .ExcludeFromDescription();
        api.MapPut("/repos/{repo}/npm/{scope}/{name}", (string repo, string scope, string name, HttpContext http, FormatPublishing publishing, PackageStorage storage, PackageFormats formats) =>
                PublishAsync(http, repo, $"{scope}/{name}", publishing, storage, formats))
            .ExcludeFromDescription();
    }

    private static async Task<IResult> PublishAsync(
        HttpContext http, string repo, string name, FormatPublishing publishing, PackageStorage storage, PackageFormats formats)
    {
        var maxTarball = Math.Min(storage.MaxUploadBytes, MaxTarballBytes);
        var maxBody = (maxTarball + 2) / 3 * 4 + ManifestSlackBytes;
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = maxBody;
        }
        try
        {
            if (http.Request.ContentLength > maxBody)
            {
                throw new PayloadTooLargeException($"The publish body is larger than {Tokens.ByteSize.Format(maxBody)}.");
            }
            using var body = await JsonDocument.ParseAsync(http.Request.Body, new JsonDocumentOptions { MaxDepth = 64 }, http.RequestAborted);
            var document = NpmPublishDocument.Parse(body.RootElement, name, maxTarball);
            using var tarball = new MemoryStream(document.Tarball, writable: false);
            await publishing.PublishAsync(Actor.From(http), repo, formats.Find(PackageFormats.Npm)!, document.AttachmentName, tarball,
                new PublishExpectations(document.Name, document.Version, document.Tags), http.RequestAborted);
            return TypedResults.Json(new { ok = true, id = document.Name }, statusCode: StatusCodes.Status201Created);
        }
        catch (JsonException ex)
        {
            return NpmErrors.Json(StatusCodes.Status400BadRequest, "The publish body is not valid JSON: " + ex.Message);
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return NpmErrors.Json(StatusCodes.Status413PayloadTooLarge, $"The publish body is larger than {Tokens.ByteSize.Format(maxBody)}.");
        }
        catch (ValidationException ex)
        {
            return NpmErrors.Json(StatusCodes.Status400BadRequest, string.Join(" ", ex.Errors.Select(e => e.ErrorMessage).Distinct()));
        }
        catch (ConflictException ex) when (ex.Field is "version" or "file")
        {
            // What the npm registry answers for an existing version, in its words (npm users know this message).
            return NpmErrors.Json(StatusCodes.Status403Forbidden, $"You cannot publish over the previously published versions. {ex.Message}");
        }
        catch (ServiceException ex) when (ex is ConflictException or ForbiddenException or NotFoundException or PayloadTooLargeException)
        {
            var status = ex switch
            {
                ConflictException => StatusCodes.Status409Conflict,
                ForbiddenException => StatusCodes.Status403Forbidden,
                NotFoundException => StatusCodes.Status404NotFound,
                _ => StatusCodes.Status413PayloadTooLarge,
            };
            return NpmErrors.Json(status, ex.Message);
        }
    }
}
