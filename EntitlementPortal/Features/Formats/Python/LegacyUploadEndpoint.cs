using System.Text;
using EntitlementPortal.Features.Packages;
using EntitlementPortal.Features.Shared;
using FluentValidation;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Net.Http.Headers;

namespace EntitlementPortal.Features.Formats.Python;

/// <summary>
/// twine's "legacy" upload protocol (what PyPI calls it; every Python uploader speaks it): a multipart POST with
/// ":action=file_upload", the metadata fields and the file as the "content" part. The distribution's own metadata
/// decides name and version; the fields must agree. twine prints the status and the reason phrase of a refusal,
/// so every refusal carries its message there as well as in the body.
/// </summary>
public static class LegacyUploadEndpoint
{
    // Room for the metadata fields (a long description is one of them) on top of the file.
    private const long FormOverheadBytes = 16 * 1024 * 1024;
    private const int MaxFieldChars = 4096;

    // The fields read; the others (description, classifiers, md5_digest...) are skipped unread.
    private static readonly HashSet<string> ReadFields = new(StringComparer.Ordinal)
    {
        ":action", "name", "version", "filetype", "sha256_digest",
    };

    public static void MapPythonPublishing(this RouteGroupBuilder api) =>
        api.MapPost("/repos/{repo}/python/", UploadAsync)
            .WithTags("Python").WithSummary("Upload a Python distribution")
            .WithDescription("twine upload --repository-url $PORTAL/api/v1/repos/{repo}/python/ -u __token__ -p $KEY. "
                + "multipart/form-data with :action=file_upload, name, version, sha256_digest and the file as 'content'.")
            .DisableAntiforgery();

    private static async Task<IResult> UploadAsync(
        string repo, FormatPublishing publishing, PackageFormats formats, PackageStorage storage, HttpContext http, CancellationToken ct)
    {
        try
        {
            await ReceiveAsync(repo, publishing, formats.Find(PackageFormats.Python)!, storage, http, ct);
            return new TwineAnswer(StatusCodes.Status200OK, "OK");
        }
        catch (ValidationException invalid)
        {
            return new TwineAnswer(StatusCodes.Status400BadRequest, string.Join(" ", invalid.Errors.Select(e => e.ErrorMessage).Distinct()));
        }
        catch (ConflictException conflict) when (conflict.Field == "file")
        {
            // The same filename again: PyPI's 400 "File already exists", which twine --skip-existing recognises.
            return new TwineAnswer(StatusCodes.Status400BadRequest, $"File already exists: {conflict.Message}");
        }
        catch (ConflictException conflict)
        {
            return new TwineAnswer(StatusCodes.Status409Conflict, conflict.Message);
        }
        catch (ForbiddenException forbidden)
        {
            return new TwineAnswer(StatusCodes.Status403Forbidden, forbidden.Message);
        }
        catch (NotFoundException notFound)
        {
            return new TwineAnswer(StatusCodes.Status404NotFound, notFound.Message);
        }
        catch (PayloadTooLargeException tooLarge)
        {
            return new TwineAnswer(StatusCodes.Status413PayloadTooLarge, tooLarge.Message);
        }
        catch (BadHttpRequestException bad)
        {
            return new TwineAnswer(bad.StatusCode, bad.Message);
        }
    }

    private static async Task ReceiveAsync(
        string repo, FormatPublishing publishing, IPackageFormat format, PackageStorage storage, HttpContext http, CancellationToken ct)
    {
        // The storage limit is the real one (413); Kestrel's default 30 MB cap must not cut in first.
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = storage.MaxUploadBytes + FormOverheadBytes;
        }
        var boundary = MultipartFormBody.BoundaryOf(http.Request.ContentType)
            ?? throw Invalid("Send the upload as multipart/form-data, as twine does.");
        var body = new MultipartFormBody(boundary, http.Request.Body);
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        var published = false;
        while (await body.ReadNextSectionAsync(ct) is { } section)
        {
            if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition))
            {
                await section.Body.CopyToAsync(Stream.Null, ct);
                continue;
            }
            var field = HeaderUtilities.RemoveQuotes(disposition.Name).Value ?? "";
            var isFile = disposition.FileName.HasValue || disposition.FileNameStar.HasValue;
            if (!isFile || field != "content" || published)
            {
                if (!isFile && ReadFields.Contains(field))
                {
                    fields[field] = await ReadFieldAsync(section.Body, field, ct);
                }
                else
                {
                    await section.Body.CopyToAsync(Stream.Null, ct);
                }
                continue;
            }
            var filename = HeaderUtilities.RemoveQuotes(disposition.FileNameStar.HasValue ? disposition.FileNameStar : disposition.FileName).Value ?? "";
            EnsureUploadFields(fields, filename);
            // twine sends its fields before the file, so the digest is known while the file streams into storage.
            Stream content = fields.GetValueOrDefault("sha256_digest") is { Length: > 0 } digest
                ? new DigestCheckingStream(section.Body, digest, filename)
                : section.Body;
            await publishing.PublishAsync(Actor.From(http), repo, format, filename, content,
                new PublishExpectations(fields.GetValueOrDefault("name"), fields.GetValueOrDefault("version")), ct);
            published = true;
        }
        if (!published)
        {
            throw Invalid("Attach the distribution as the file part 'content' (twine upload does).");
        }
    }

    private static void EnsureUploadFields(Dictionary<string, string> fields, string filename)
    {
        if (fields.GetValueOrDefault(":action") is { } action && action != "file_upload")
        {
            throw Invalid($"':action={action}' is not supported here; only file_upload is.");
        }
        var kind = PythonDistribution.ParseFilename(filename)?.Kind;
        var expected = kind switch { PythonFileKind.Wheel => "bdist_wheel", PythonFileKind.Sdist => "sdist", _ => null };
        if (fields.GetValueOrDefault("filetype") is { Length: > 0 } filetype && expected is not null && filetype != expected)
        {
            throw Invalid($"'{filename}' is a {expected}, not a {filetype}.");
        }
    }

    private static async Task<string> ReadFieldAsync(Stream body, string field, CancellationToken ct)
    {
        using var reader = new StreamReader(body, Encoding.UTF8, detectEncodingFromByteOrderMarks: false, bufferSize: 1024, leaveOpen: true);
        var buffer = new char[MaxFieldChars + 1];
        var total = 0;
        int read;
        while (total <= MaxFieldChars && (read = await reader.ReadAsync(buffer.AsMemory(total), ct)) > 0)
        {
            total += read;
        }
        return total > MaxFieldChars ? throw Invalid($"'{field}' is longer than {MaxFieldChars} characters.") : new string(buffer, 0, total).Trim();
    }

    private static ValidationException Invalid(string message) => CoreMetadata.Invalid(message);
}
