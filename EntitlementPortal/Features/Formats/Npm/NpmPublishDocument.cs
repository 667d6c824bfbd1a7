using System.Security.Cryptography;
using System.Text.Json;
using EntitlementPortal.Features.Shared;
using FluentValidation;
using FluentValidation.Results;

namespace EntitlementPortal.Features.Formats.Npm;

/// <summary>
/// What <c>npm publish</c> PUTs: <c>{ _id, name, versions: { v: manifest }, dist-tags: { tag: v }, _attachments:
/// { "name-v.tgz": { content_type, data (base64), length } } }</c>. Only the shape is checked here; the tarball's own
/// package.json decides name and version (FormatPublishing), and these fields must agree with it.
/// </summary>
public sealed record NpmPublishDocument(string Name, string Version, IReadOnlyList<string> Tags, string AttachmentName, byte[] Tarball)
{
    /// <summary>
    /// Reads the document: a ValidationException (400) says what is wrong in words npm prints; a tarball over
    /// <paramref name="maxTarballBytes"/> is a PayloadTooLargeException before any of it is decoded.
    /// </summary>
    public static NpmPublishDocument Parse(JsonElement root, string urlName, long maxTarballBytes)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw Invalid("The publish body is not a JSON object.");
        }
        var name = StringOf(root, "name");
        if (name != urlName || (StringOf(root, "_id") is { } id && id != urlName))
        {
            throw Invalid($"The body publishes '{name}', but the URL names '{urlName}'.");
        }
        if (!root.TryGetProperty("versions", out var versions) || versions.ValueKind != JsonValueKind.Object
            || versions.EnumerateObject().Count() != 1)
        {
            throw Invalid("The body must hold exactly one version under \"versions\" (npm publishes one at a time).");
        }
        var only = versions.EnumerateObject().Single();
        var version = only.Name;
        if (only.Value.ValueKind != JsonValueKind.Object || StringOf(only.Value, "name") != name || StringOf(only.Value, "version") != version)
        {
            throw Invalid($"The manifest under versions.{version} doesn't name {name}@{version}.");
        }
        var tags = root.TryGetProperty("dist-tags", out var distTags) && distTags.ValueKind == JsonValueKind.Object
            ? distTags.EnumerateObject().Where(t => t.Value.ValueKind == JsonValueKind.String && t.Value.GetString() == version).Select(t => t.Name).ToList()
            : [];

        // npm names the attachment "<name>-<version>.tgz" (scope included); a provenance ".sigstore" may come beside it.
        var expected = $"{name}-{version}.tgz";
        if (!root.TryGetProperty("_attachments", out var attachments) || attachments.ValueKind != JsonValueKind.Object
            || !attachments.TryGetProperty(expected, out var attachment) || attachment.ValueKind != JsonValueKind.Object
            || !attachment.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.String)
        {
            throw Invalid($"The body has no base64 tarball under _attachments[\"{expected}\"].");
        }
        // Four base64 characters carry three bytes: refuse an oversized tarball before decoding a byte of it.
        var encodedLength = data.GetRawText().Length - 2;
        if (encodedLength / 4 * 3 > maxTarballBytes)
        {
            throw new PayloadTooLargeException($"The tarball is larger than the upload limit of {Tokens.ByteSize.Format(maxTarballBytes)}.");
        }
        if (!data.TryGetBytesFromBase64(out var tarball))
        {
            throw Invalid("The attachment's data is not valid base64.");
        }
        if (attachment.TryGetProperty("length", out var length) && length.ValueKind == JsonValueKind.Number
            && (!length.TryGetInt64(out var declared) || declared != tarball.Length))
        {
            throw Invalid($"The attachment says it has {length.GetRawText()} bytes but holds {tarball.Length}.");
        }
        if (only.Value.TryGetProperty("dist", out var dist) && dist.ValueKind == JsonValueKind.Object
            && StringOf(dist, "integrity") is { } integrity && integrity.StartsWith("sha512-", StringComparison.Ordinal)
            && integrity != "sha512-" + Convert.ToBase64String(SHA512.HashData(tarball)))
        {
            // A body cut or changed on the way: the client computed dist.integrity from the tarball it packed.
            throw Invalid("The tarball doesn't match the manifest's dist.integrity.");
        }
        return new NpmPublishDocument(name, version, tags, NpmNames.TarballFilename(name, version), tarball);
    }

    private static ValidationException Invalid(string message) => new([new ValidationFailure("body", message)]);

    private static string? StringOf(JsonElement json, string property) =>
        json.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
