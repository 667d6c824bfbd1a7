using System.Formats.Tar;
using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace EntitlementPortal.Cli.Commands.Packages;

/// <summary>
/// The document <c>npm publish</c> sends (npm's registry format, not the management API's): the package.json under
/// <c>versions</c> and the tarball as base64 under <c>_attachments</c>.
/// </summary>
public sealed record NpmPublishDocument(
    [property: JsonPropertyName("_id")] string Id,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("dist-tags")] IReadOnlyDictionary<string, string> DistTags,
    [property: JsonPropertyName("versions")] IReadOnlyDictionary<string, JsonElement> Versions,
    [property: JsonPropertyName("_attachments")] IReadOnlyDictionary<string, NpmAttachment> Attachments)
{
    public static NpmPublishDocument Create(JsonElement manifest, byte[] tarball, string tag)
    {
        var name = StringOf(manifest, "name");
        var version = StringOf(manifest, "version");
        return new NpmPublishDocument(name, name, new Dictionary<string, string> { [tag] = version },
            new Dictionary<string, JsonElement> { [version] = manifest },
            new Dictionary<string, NpmAttachment>
            {
                [$"{name}-{version}.tgz"] = new("application/octet-stream", Convert.ToBase64String(tarball), tarball.Length),
            });
    }

    public string Version => Versions.Keys.Single();

    /// <summary>package/package.json from an npm tarball, as npm pack lays it out.</summary>
    public static JsonElement ReadManifest(byte[] tarball, string filename)
    {
        try
        {
            using var gzip = new GZipStream(new MemoryStream(tarball), CompressionMode.Decompress);
            using var tar = new TarReader(gzip);
            while (tar.GetNextEntry() is { } entry)
            {
                if (entry.Name.TrimStart('.', '/') == "package/package.json" && entry.DataStream is { } data)
                {
                    var manifest = JsonSerializer.Deserialize<JsonElement>(data);
                    StringOf(manifest, "name");
                    StringOf(manifest, "version");
                    return manifest;
                }
            }
        }
        catch (Exception ex) when (ex is InvalidDataException or JsonException or IOException)
        {
            throw new UsageException($"'{filename}' is not an npm package (a gzipped tar with package/package.json): {ex.Message}");
        }
        throw new UsageException($"'{filename}' has no package/package.json; build it with npm pack.");
    }

    private static string StringOf(JsonElement manifest, string property) =>
        manifest.ValueKind == JsonValueKind.Object && manifest.TryGetProperty(property, out var value) && value.GetString() is { Length: > 0 } text
            ? text
            : throw new JsonException($"package.json has no \"{property}\".");
}

public sealed record NpmAttachment(
    [property: JsonPropertyName("content_type")] string ContentType,
    [property: JsonPropertyName("data")] string Data,
    [property: JsonPropertyName("length")] long Length);
