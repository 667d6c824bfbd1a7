using System.Formats.Tar;
using System.IO.Compression;
using System.Text;

namespace EntitlementPortal.Tests.Formats.Python;

/// <summary>Wheels and sdists built in the test, the way a build backend lays them out (no setuptools needed).</summary>
public static class PythonDistributions
{
    public static string Metadata(string name, string version, string? requiresPython = ">=3.8", string metadataVersion = "2.1") =>
        $"Metadata-Version: {metadataVersion}\nName: {name}\nVersion: {version}\nSummary: {name} for tests\n"
        + (requiresPython is null ? "" : $"Requires-Python: {requiresPython}\n")
        + "\nA long description.\n";

    /// <summary>A pure-Python wheel with module <paramref name="module"/> whose X is "<paramref name="version"/>".</summary>
    public static byte[] Wheel(string name, string version, string module, string? metadata = null) =>
        Zip(WheelEntries(name, version, module, metadata ?? Metadata(name, version)));

    public static string WheelFilename(string name, string version) => $"{name.Replace('-', '_')}-{version}-py3-none-any.whl";

    public static IEnumerable<(string Name, string Content)> WheelEntries(string name, string version, string module, string metadata)
    {
        var distInfo = $"{name.Replace('-', '_')}-{version}.dist-info";
        var files = new List<(string, string)>
        {
            ($"{module}/__init__.py", $"X = \"{version}\"\n"),
            ($"{distInfo}/METADATA", metadata),
            ($"{distInfo}/WHEEL", "Wheel-Version: 1.0\nGenerator: tests\nRoot-Is-Purelib: true\nTag: py3-none-any\n"),
        };
        // RECORD lists every file with its hash; pip checks it (an empty hash is allowed for RECORD itself).
        var record = new StringBuilder();
        foreach (var (path, content) in files)
        {
            var hash = Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(content)))
                .TrimEnd('=').Replace('+', '-').Replace('/', '_');
            record.Append($"{path},sha256={hash},{Encoding.UTF8.GetByteCount(content)}\n");
        }
        record.Append($"{distInfo}/RECORD,,\n");
        files.Add(($"{distInfo}/RECORD", record.ToString()));
        return files;
    }

    public static byte[] Zip(IEnumerable<(string Name, string Content)> entries)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (entryName, content) in entries)
            {
                using var stream = zip.CreateEntry(entryName).Open();
                stream.Write(Encoding.UTF8.GetBytes(content));
            }
        }
        return buffer.ToArray();
    }

    /// <summary>An sdist: {name}-{version}/PKG-INFO plus a module, as a .tar.gz.</summary>
    public static byte[] Sdist(string name, string version, string module, string? pkgInfo = null) =>
        TarGz([
            ($"{name}-{version}/PKG-INFO", pkgInfo ?? Metadata(name, version)),
            ($"{name}-{version}/{module}/__init__.py", $"X = \"{version}\"\n"),
            ($"{name}-{version}/pyproject.toml", "[build-system]\nrequires = []\n"),
        ]);

    public static byte[] TarGz(IEnumerable<(string Name, string Content)> entries)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        using (var tar = new TarWriter(gzip, TarEntryFormat.Pax, leaveOpen: true))
        {
            foreach (var (entryName, content) in entries)
            {
                tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, entryName) { DataStream = new MemoryStream(Encoding.UTF8.GetBytes(content)) });
            }
        }
        return buffer.ToArray();
    }
}
