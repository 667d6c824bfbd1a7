using System.Security.Cryptography;
using EntitlementPortal.Features.Packages;
using FluentValidation;

namespace EntitlementPortal.Features.Formats.Python;

/// <summary>
/// PEP 658: a wheel's METADATA at "{wheel URL}.metadata", which pip reads to resolve before it downloads the wheel.
/// It is index data, not a download: the token's state and package query apply, its limits don't, nothing is counted.
/// Read from the stored wheel (bounded, as at upload) and served only when it still hashes to what the index promised.
/// </summary>
internal static class CoreMetadataFile
{
    public const string Suffix = ".metadata";

    public static async Task<IResult> AnswerAsync(
        FormatRequest request, string project, string version, string wheel, FormatDownloads downloads, PackageStorage storage)
    {
        var index = await downloads.OpenIndexAsync(request, PackageFormats.Python, project);
        if (index.Refusal is { } refusal)
        {
            return refusal;
        }
        var file = index.Files.FirstOrDefault(f => f.Package == project && f.Version == version && f.Filename == wheel);
        if (file is null || PythonJson.File(file.FileMetadata)?.MetadataSha256 is not { } expected)
        {
            return await index.NotFoundAsync();
        }
        byte[]? metadata;
        try
        {
            await using var stream = await storage.OpenReadAsync(file.Sha256);
            metadata = PythonArchive.WheelMetadata(stream, wheel);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException or ValidationException or Packages.Storage.BlobStoreUnavailableException)
        {
            metadata = null;
        }
        if (metadata is null || Convert.ToHexStringLower(SHA256.HashData(metadata)) != expected)
        {
            return await index.AnswerAsync(
                TypedResults.Text("This file is temporarily unavailable; the vendor has been told.\n", "text/plain; charset=utf-8",
                    statusCode: StatusCodes.Status503ServiceUnavailable),
                StatusCodes.Status503ServiceUnavailable, "file_unavailable");
        }
        return await index.AnswerAsync(TypedResults.Bytes(metadata, "text/plain; charset=utf-8"));
    }
}
