using System.IO.Compression;
using System.Text;

namespace EntitlementPortal.Tests.Formats.NuGet;

/// <summary>.nupkg files built in the test: a zip with a .nuspec at its root, and whatever else a case needs.</summary>
internal static class NuGetTestPackages
{
    public static string Nuspec(string id, string version, string extra = "") => $"""
        <?xml version="1.0" encoding="utf-8"?>
        <package xmlns="http://schemas.microsoft.com/packaging/2013/05/nuspec.xsd">
          <metadata>
            <id>{id}</id>
            <version>{version}</version>
            <authors>Acme</authors>
            <description>Greets from Acme.</description>
            {extra}
          </metadata>
        </package>
        """;

    public static byte[] Nupkg(string id, string version, params (string Name, string Content)[] more) =>
        Zip([($"{id}.nuspec", Nuspec(id, version)), ("lib/net10.0/readme.txt", "content"), .. more]);

    public static byte[] Zip(IEnumerable<(string Name, string Content)> entries)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, content) in entries)
            {
                using var writer = zip.CreateEntry(name).Open();
                writer.Write(Encoding.UTF8.GetBytes(content));
            }
        }
        return buffer.ToArray();
    }
}
