using System.Text;
using EntitlementPortal.Features.Api;
using EntitlementPortal.Features.Packages.Query;
using EntitlementPortal.Features.Shared;
using FluentValidation;
using FluentValidation.Results;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Net.Http.Headers;

namespace EntitlementPortal.Features.Packages;

/// <summary>The upload form as the OpenAPI document describes it; the endpoint reads the body as a stream.</summary>
public sealed record PackageUploadForm(string Name, string Version, string? Tags, IFormFile File);

public static class PackageEndpoints
{
    // Room for the text fields and multipart framing on top of the file itself.
    private const long FormOverheadBytes = 1024 * 1024;
    private const int MaxFieldChars = 4096;

    public static void MapPackageApi(this RouteGroupBuilder api)
    {
        var packages = api.MapGroup("/repos/{repo}/packages").WithTags("Packages");

        packages.MapGet("/", async (string repo, [AsParameters] ListParameters list, string? query,
                PackageQueries service, HttpContext http, CancellationToken ct) =>
            TypedResults.Ok(await service.ListAsync(Actor.From(http), repo, list.ToPageRequest(), ParseQuery(query), ct)))
            .WithSummary("List packages").WithDescription("List package versions; query is in the package query language (name:acme* AND version:>=2.0).")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);

        packages.MapGet("/{id:int}", async (string repo, int id, PackageQueries service, HttpContext http, CancellationToken ct) =>
            TypedResults.Ok(await service.GetAsync(Actor.From(http), repo, id, ct)))
            .WithSummary("Get a package version").ProducesProblem(StatusCodes.Status404NotFound);

        packages.MapPost("/", UploadAsync)
            .WithSummary("Upload a package file")
            .WithDescription("multipart/form-data with the fields name, version, tags (comma-separated text) and file, in any order. "
                + "Creates the version when it is new, otherwise adds the file to it.")
            .Accepts<PackageUploadForm>("multipart/form-data")
            .Produces<PackageView>(StatusCodes.Status201Created)
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status413PayloadTooLarge);

        packages.MapDelete("/{id:int}", async (string repo, int id, PackageRemoval service, HttpContext http, CancellationToken ct) =>
            {
                await service.DeleteAsync(Actor.From(http), repo, id, ct);
                return TypedResults.NoContent();
            })
            .WithSummary("Delete a package version and its files").ProducesProblem(StatusCodes.Status404NotFound);
    }

    public static PackageQuery? ParseQuery(string? query)
    {
        var parsed = PackageQuery.TryParse(query);
        return parsed.IsValid
            ? parsed.Query
            : throw new ValidationException([new ValidationFailure("query", parsed.Error.Message)]);
    }

    /// <summary>
    /// Reads the multipart body section by section so the file streams straight into the blob store: never
    /// buffered in memory or in a temp form file. Fields may come in any order. The file is stored (staged) as it
    /// arrives and recorded only once the whole body has been read up to its final boundary, so a body that is cut
    /// off or malformed anywhere is a 400 that leaves no package row and no blob behind.
    /// </summary>
    private static async Task<IResult> UploadAsync(
        string repo, PackageUploads service, PackageStorage storage, HttpContext http, CancellationToken ct)
    {
        // The storage limit is the real one (and answers 413); Kestrel's default 30 MB cap must not cut in first.
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = storage.MaxUploadBytes + FormOverheadBytes;
        }
        var boundary = MultipartFormBody.BoundaryOf(http.Request.ContentType);
        if (boundary is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported media type",
                detail: "Send the upload as multipart/form-data with the fields name, version, tags and file.");
        }

        var actor = Actor.From(http);
        var fields = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var body = new MultipartFormBody(boundary, http.Request.Body);
        StagedFile? staged = null;
        try
        {
            while (await body.ReadNextSectionAsync(ct) is { } section)
            {
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)
                    || !disposition.DispositionType.Equals("form-data", StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }
                var fieldName = HeaderUtilities.RemoveQuotes(disposition.Name).Value ?? "";
                var isFile = disposition.FileName.HasValue || disposition.FileNameStar.HasValue;
                if (!isFile)
                {
                    fields[fieldName] = await ReadFieldAsync(section.Body, fieldName, ct);
                    continue;
                }
                if (!fieldName.Equals("file", StringComparison.OrdinalIgnoreCase) || staged is not null)
                {
                    continue;
                }

                var filename = HeaderUtilities.RemoveQuotes(
                    disposition.FileNameStar.HasValue ? disposition.FileNameStar : disposition.FileName).Value;
                if (fields.ContainsKey("name") && fields.ContainsKey("version"))
                {
                    // The fields came first: refuse a duplicate or invalid upload before streaming a possibly huge body.
                    await service.EnsureUploadAcceptableAsync(actor, repo, fields.GetValueOrDefault("name"),
                        fields.GetValueOrDefault("version"), fields.GetValueOrDefault("tags"), filename, ct);
                }
                staged = await service.StageAsync(actor, repo, filename, section.Body, section.ContentType, ct);
            }
        }
        catch when (staged is not null)
        {
            PackageUploads.DiscardStaged(staged);
            throw;
        }
        if (staged is not null)
        {
            var created = await service.CompleteStagedAsync(actor, repo, staged,
                fields.GetValueOrDefault("name"), fields.GetValueOrDefault("version"), fields.GetValueOrDefault("tags"), ct);
            return TypedResults.Created($"{ManagementApi.BasePath}/repos/{repo}/packages/{created.Id}", created);
        }

        // No file part: report it together with any other missing field.
        var failures = new List<ValidationFailure>();
        try
        {
            PackageRules.Validate(fields.GetValueOrDefault("name"), fields.GetValueOrDefault("version"), fields.GetValueOrDefault("tags"));
        }
        catch (ValidationException invalid)
        {
            failures.AddRange(invalid.Errors);
        }
        failures.Add(new ValidationFailure("file", "Attach the file to upload (form field 'file')."));
        throw new ValidationException(failures);
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
        if (total > MaxFieldChars)
        {
            throw new ValidationException([new ValidationFailure(field, $"'{field}' is longer than {MaxFieldChars} characters.")]);
        }
        return new string(buffer, 0, total);
    }
}
