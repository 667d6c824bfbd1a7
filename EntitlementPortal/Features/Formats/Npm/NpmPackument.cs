using System.Globalization;
using System.Text.Json.Nodes;
using EntitlementPortal.Features.Packages.Query;

namespace EntitlementPortal.Features.Formats.Npm;

/// <summary>
/// The packument (npm's package document) of one name, built only from the versions the caller may see: a dist-tag
/// never points at a version the token can't download, and "latest" falls back to the highest visible version.
/// </summary>
public static class NpmPackument
{
    public const string AbbreviatedMediaType = "application/vnd.npm.install-v1+json";

    // The fields npm's abbreviated ("corgi") document keeps of a version: all an install needs.
    private static readonly HashSet<string> AbbreviatedFields = new(StringComparer.Ordinal)
    {
        "name", "version", "deprecated", "dependencies", "optionalDependencies", "devDependencies", "bundleDependencies",
        "bundledDependencies", "peerDependencies", "peerDependenciesMeta", "bin", "directories", "dist", "engines", "cpu", "os",
        "libc", "funding", "_hasShrinkwrap", "hasInstallScript",
    };

    /// <param name="files">The visible files of <paramref name="name"/> (one per version).</param>
    /// <param name="tarballBase">Absolute URL of the npm routes in the request's form: ".../dl/{token}/{repo}/npm".</param>
    public static JsonObject Build(string name, IReadOnlyList<FormatFile> files, string tarballBase, bool abbreviated)
    {
        var versions = files.GroupBy(f => f.Version, StringComparer.Ordinal).Select(g => g.First())
            .OrderBy(f => PackageVersion.Parse(f.Version)).ToList();
        var versionsNode = new JsonObject();
        foreach (var file in versions)
        {
            var manifest = Manifest(name, file, $"{tarballBase}/{name}/-/{Uri.EscapeDataString(file.Filename)}");
            versionsNode[file.Version] = abbreviated ? Abbreviate(manifest) : manifest;
        }
        var modified = Timestamp(versions.Max(f => f.UploadedAt));
        var document = new JsonObject
        {
            ["name"] = name,
            ["dist-tags"] = DistTags(versions),
        };
        if (abbreviated)
        {
            document["modified"] = modified;
            document["versions"] = versionsNode;
            return document;
        }
        document["_id"] = name;
        document["versions"] = versionsNode;
        var time = new JsonObject { ["created"] = Timestamp(versions.Min(f => f.UploadedAt)), ["modified"] = modified };
        foreach (var file in versions)
        {
            time[file.Version] = Timestamp(file.UploadedAt);
        }
        document["time"] = time;
        if (versions[^1].PackageMetadata is { } latestMetadata && JsonNode.Parse(latestMetadata) is JsonObject latest
            && latest["description"] is JsonValue description)
        {
            document["description"] = description.DeepClone();
        }
        return document;
    }

    /// <summary>
    /// Each tag at the highest visible version that carries it (tags are stored per version, from the publish's
    /// dist-tags); "latest" without a visible carrier is the highest visible release, else the highest visible version.
    /// </summary>
    private static JsonObject DistTags(IReadOnlyList<FormatFile> ascending)
    {
        var tags = new JsonObject();
        foreach (var file in ascending)
        {
            foreach (var tag in file.Tags.Where(IsDistTag))
            {
                tags[tag] = file.Version;
            }
        }
        if (tags["latest"] is null && ascending.Count > 0)
        {
            var release = ascending.LastOrDefault(f => !PackageVersion.Parse(f.Version).IsPreRelease) ?? ascending[^1];
            tags["latest"] = release.Version;
        }
        return tags;
    }

    // npm reads a tag that looks like a version or range ("1", "v2") as that range: never offer one as a dist-tag.
    private static bool IsDistTag(string tag) =>
        tag.Length > 0 && !char.IsAsciiDigit(tag[0]) && !(tag.Length > 1 && tag[0] is 'v' or 'V' && char.IsAsciiDigit(tag[1]));

    private static JsonObject Manifest(string name, FormatFile file, string tarball)
    {
        var manifest = file.PackageMetadata is { } stored && JsonNode.Parse(stored) is JsonObject parsed ? parsed : new JsonObject();
        manifest["name"] = name;
        manifest["version"] = file.Version;
        manifest["_id"] = $"{name}@{file.Version}";
        var dist = new JsonObject { ["tarball"] = tarball };
        if (file.FileMetadata is { } facts && JsonNode.Parse(facts) is JsonObject fileFacts)
        {
            foreach (var key in (string[])["integrity", "shasum", "fileCount", "unpackedSize"])
            {
                if (fileFacts[key] is { } value)
                {
                    dist[key] = value.DeepClone();
                }
            }
        }
        manifest["dist"] = dist;
        return manifest;
    }

    private static JsonObject Abbreviate(JsonObject manifest)
    {
        var scripts = manifest["scripts"] as JsonObject;
        var abbreviated = new JsonObject();
        foreach (var (key, value) in manifest)
        {
            if (AbbreviatedFields.Contains(key))
            {
                abbreviated[key] = value?.DeepClone();
            }
        }
        if (scripts is not null && (scripts.ContainsKey("preinstall") || scripts.ContainsKey("install") || scripts.ContainsKey("postinstall")))
        {
            // npm records this in the lockfile to know it must run scripts without fetching the full document.
            abbreviated["hasInstallScript"] = true;
        }
        return abbreviated;
    }

    private static string Timestamp(DateTime at) =>
        DateTime.SpecifyKind(at, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
