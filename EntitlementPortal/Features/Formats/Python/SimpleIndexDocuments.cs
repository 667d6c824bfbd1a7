using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace EntitlementPortal.Features.Formats.Python;

/// <summary>
/// The simple repository API documents: the project list and a project's files, as PEP 503 HTML or PEP 691 JSON
/// (api-version 1.0). Every link is relative to the page, so pip keeps the index URL's credentials (and the token
/// form its token) for the files.
/// </summary>
public static class SimpleIndexDocuments
{
    public const string ApiVersion = "1.0";

    public static string Projects(IEnumerable<string> projects, string contentType)
    {
        var names = projects.ToList();
        if (contentType == SimpleContentType.Json)
        {
            return new JsonObject
            {
                ["meta"] = Meta(),
                ["projects"] = new JsonArray(names.Select(n => (JsonNode)new JsonObject { ["name"] = n }).ToArray()),
            }.ToJsonString();
        }
        var html = Start("Simple index");
        foreach (var name in names)
        {
            html.Append("<a href=\"").Append(Attribute(Uri.EscapeDataString(name) + "/")).Append("\">").Append(WebUtility.HtmlEncode(name)).Append("</a><br>\n");
        }
        return html.Append("</body>\n</html>\n").ToString();
    }

    /// <summary>A project's page: <paramref name="files"/> are the visible files of the project, all versions.</summary>
    public static string Project(string project, IReadOnlyList<FormatFile> files, string contentType)
    {
        if (contentType == SimpleContentType.Json)
        {
            var list = new JsonArray();
            foreach (var file in files)
            {
                var meta = PythonJson.File(file.FileMetadata);
                var entry = new JsonObject
                {
                    ["filename"] = file.Filename,
                    ["url"] = FileUrl(file),
                    ["hashes"] = new JsonObject { ["sha256"] = file.Sha256 },
                };
                if (meta?.RequiresPython is { } requires)
                {
                    entry["requires-python"] = requires;
                }
                if (meta?.MetadataSha256 is { } metadataHash)
                {
                    // PEP 658's key and PEP 714's new name for it: pip 23.2 reads the first, later pips the second.
                    entry["dist-info-metadata"] = new JsonObject { ["sha256"] = metadataHash };
                    entry["core-metadata"] = new JsonObject { ["sha256"] = metadataHash };
                }
                list.Add(entry);
            }
            return new JsonObject { ["meta"] = Meta(), ["name"] = project, ["files"] = list }.ToJsonString();
        }
        var html = Start($"Links for {project}").Append("<h1>Links for ").Append(WebUtility.HtmlEncode(project)).Append("</h1>\n");
        foreach (var file in files)
        {
            var meta = PythonJson.File(file.FileMetadata);
            html.Append("<a href=\"").Append(Attribute($"{FileUrl(file)}#sha256={file.Sha256}")).Append('"');
            if (meta?.RequiresPython is { } requires)
            {
                html.Append(" data-requires-python=\"").Append(Attribute(requires)).Append('"');
            }
            if (meta?.MetadataSha256 is { } metadataHash)
            {
                html.Append(" data-dist-info-metadata=\"sha256=").Append(metadataHash).Append("\" data-core-metadata=\"sha256=").Append(metadataHash).Append('"');
            }
            html.Append('>').Append(WebUtility.HtmlEncode(file.Filename)).Append("</a><br>\n");
        }
        return html.Append("</body>\n</html>\n").ToString();
    }

    /// <summary>From ".../python/simple/{project}/" to ".../python/files/{project}/{version}/{filename}".</summary>
    public static string FileUrl(FormatFile file) =>
        $"../../files/{Uri.EscapeDataString(file.Package)}/{Uri.EscapeDataString(file.Version)}/{Uri.EscapeDataString(file.Filename)}";

    private static JsonObject Meta() => new() { ["api-version"] = ApiVersion };

    private static StringBuilder Start(string title) => new StringBuilder()
        .Append("<!DOCTYPE html>\n<html>\n<head>\n<meta name=\"pypi:repository-version\" content=\"").Append(ApiVersion).Append("\">\n<title>")
        .Append(WebUtility.HtmlEncode(title)).Append("</title>\n</head>\n<body>\n");

    // HtmlEncode escapes &, <, >, " and ': safe inside a double-quoted attribute (">=3.8" becomes "&gt;=3.8").
    private static string Attribute(string value) => WebUtility.HtmlEncode(value);
}
