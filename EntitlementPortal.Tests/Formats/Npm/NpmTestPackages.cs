using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace EntitlementPortal.Tests.Formats.Npm;

/// <summary>npm tarballs and publish bodies built in the test, good and hostile.</summary>
public static class NpmTestPackages
{
    public sealed record Entry(string Path, byte[] Data, TarEntryType Type = TarEntryType.RegularFile, string? LinkName = null);

    public static byte[] Tarball(params Entry[] entries)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        using (var tar = new TarWriter(gzip, TarEntryFormat.Pax, leaveOpen: true))
        {
            foreach (var entry in entries)
            {
                var tarEntry = new PaxTarEntry(entry.Type, entry.Path);
                if (entry.Type == TarEntryType.RegularFile)
                {
                    tarEntry.DataStream = new MemoryStream(entry.Data);
                }
                if (entry.LinkName is not null)
                {
                    tarEntry.LinkName = entry.LinkName;
                }
                tar.WriteEntry(tarEntry);
            }
        }
        return output.ToArray();
    }

    public static Entry File(string path, string text) => new(path, Encoding.UTF8.GetBytes(text));

    public static string PackageJson(string name, string version, string extra = "") =>
        $$"""{"name":{{JsonSerializer.Serialize(name)}},"version":{{JsonSerializer.Serialize(version)}},"main":"index.js"{{extra}}}""";

    /// <summary>A package as npm packs it: package.json and an index.js exporting <c>x</c>.</summary>
    public static byte[] Package(string name, string version, int x = 42, string extra = "") =>
        Tarball(File("package/package.json", PackageJson(name, version, extra)), File("package/index.js", $"module.exports = {{ x: {x} }};\n"));

    public static string Integrity(byte[] tarball) => "sha512-" + Convert.ToBase64String(SHA512.HashData(tarball));

    /// <summary>The document npm publish PUTs (libnpmpublish's shape).</summary>
    public static string PublishBody(string name, string version, byte[] tarball, params string[] tags)
    {
        var tagMap = (tags.Length == 0 ? ["latest"] : tags).ToDictionary(t => t, _ => version);
        var body = new Dictionary<string, object>
        {
            ["_id"] = name,
            ["name"] = name,
            ["dist-tags"] = tagMap,
            ["versions"] = new Dictionary<string, object>
            {
                [version] = new Dictionary<string, object>
                {
                    ["name"] = name,
                    ["version"] = version,
                    ["_id"] = $"{name}@{version}",
                    ["dist"] = new Dictionary<string, object> { ["integrity"] = Integrity(tarball), ["shasum"] = Convert.ToHexStringLower(SHA1.HashData(tarball)) },
                },
            },
            ["access"] = "public",
            ["_attachments"] = new Dictionary<string, object>
            {
                [$"{name}-{version}.tgz"] = new Dictionary<string, object>
                {
                    ["content_type"] = "application/octet-stream",
                    ["data"] = Convert.ToBase64String(tarball),
                    ["length"] = tarball.Length,
                },
            },
        };
        // As JSON.stringify writes it: '+' and '/' of the base64 unescaped.
        return JsonSerializer.Serialize(body, new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }
}
