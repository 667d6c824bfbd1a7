using System.Net.Http.Headers;
using EntitlementPortal.Cli.Client;
using EntitlementPortal.Cli.Client.Models;

namespace EntitlementPortal.Cli.Commands.Packages;

public sealed record PackageUpload(string Repo, FileInfo File, string? Name, string? Version, string? Tags);

/// <summary>
/// Sends one file to the route its format publishes through, streamed from disk, and answers with the stored
/// package version as the packages list shows it.
/// </summary>
public sealed class PackagePush(PortalClient client)
{
    public async Task<ApiResult<PackageView>> PushAsync(PackageUpload upload, PackageFormat format, Action<long> sent, CancellationToken ct)
    {
        var repoPath = $"repos/{Uri.EscapeDataString(upload.Repo)}";
        switch (format)
        {
            case PackageFormat.Npm:
                return await PushNpmAsync(upload, repoPath, sent, ct);
            case PackageFormat.Python:
                if (upload.Name is not null || upload.Version is not null)
                {
                    throw new UsageException($"'{upload.File.Name}' is a Python wheel: its name and version come from its METADATA; leave out --name and --version.");
                }
                using (var form = new MultipartFormDataContent())
                {
                    // As twine uploads it; the portal reads name and version from the wheel and answers in text.
                    form.Add(new StringContent("file_upload"), ":action");
                    form.Add(new StringContent("bdist_wheel"), "filetype");
                    form.Add(FileContent(upload, sent), "content", upload.File.Name);
                    await client.SendMultipartAsync(HttpMethod.Post, $"{repoPath}/python/", form, ct);
                }
                return await FindByFilenameAsync(upload.Repo, upload.File.Name, PythonName(upload.File.Name), ct);
            case PackageFormat.NuGet:
                if (upload.Name is not null || upload.Version is not null)
                {
                    throw new UsageException($"'{upload.File.Name}' is a NuGet package: its id and version come from its .nuspec; leave out --name and --version.");
                }
                using (var form = new MultipartFormDataContent())
                {
                    // As dotnet nuget push sends it; the portal reads id, version and tags from the package.
                    form.Add(FileContent(upload, sent), "package", upload.File.Name);
                    return await client.SendMultipartAsync<PackageView>(HttpMethod.Put, $"{repoPath}/nuget/package", form, ct);
                }
            default:
                if (string.IsNullOrWhiteSpace(upload.Name) || string.IsNullOrWhiteSpace(upload.Version))
                {
                    throw new UsageException($"'{upload.File.Name}' is a raw file: give its --name and --version.");
                }
                using (var form = new MultipartFormDataContent())
                {
                    form.Add(new StringContent(upload.Name), "name");
                    form.Add(new StringContent(upload.Version), "version");
                    if (upload.Tags is { } tags)
                    {
                        form.Add(new StringContent(tags), "tags");
                    }
                    // The fields go before the file so the portal can refuse a bad upload before the whole file is sent.
                    form.Add(FileContent(upload, sent), "file", upload.File.Name);
                    return await client.SendMultipartAsync<PackageView>(HttpMethod.Post, PackagesCommand.PackagesPath(upload.Repo), form, ct);
                }
        }
    }

    private async Task<ApiResult<PackageView>> PushNpmAsync(PackageUpload upload, string repoPath, Action<long> sent, CancellationToken ct)
    {
        if (upload.Name is not null || upload.Version is not null)
        {
            throw new UsageException($"'{upload.File.Name}' is an npm package: its name and version come from its package.json; leave out --name and --version.");
        }
        // npm's publish format carries the tarball inside the JSON body, so it is read whole (npm does the same).
        var tarball = await File.ReadAllBytesAsync(upload.File.FullName, ct);
        var manifest = NpmPublishDocument.ReadManifest(tarball, upload.File.Name);
        var tags = (upload.Tags ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var document = NpmPublishDocument.Create(manifest, tarball, tags.FirstOrDefault() ?? "latest");
        // A scoped name travels as two path segments (@scope/name), which the publish route takes as they are.
        var route = document.Name.StartsWith('@') ? document.Name : Uri.EscapeDataString(document.Name);
        await client.PutJsonAsync($"{repoPath}/npm/{route}", document, ct);
        sent(upload.File.Length);
        return await FindAsync(upload.Repo, document.Name, p => p.Version == document.Version, $"{document.Name}@{document.Version}", ct);
    }

    /// <summary>
    /// The stored version that holds <paramref name="filename"/>: looked up by name first, then among the newest
    /// versions, for the routes that answer without the package.
    /// </summary>
    private Task<ApiResult<PackageView>> FindByFilenameAsync(string repo, string filename, string name, CancellationToken ct) =>
        FindAsync(repo, name, p => p.Files.Any(f => f.Filename == filename), $"'{filename}'", ct);

    private async Task<ApiResult<PackageView>> FindAsync(string repo, string name, Func<PackageView, bool> matches, string what, CancellationToken ct)
    {
        foreach (var query in new[] { new QueryString().Add("query", $"name:{name}").Add("pageSize", 500), new QueryString().Add("pageSize", 500) })
        {
            ApiResult<Page<PackageView>> page;
            try
            {
                page = await client.GetAsync<Page<PackageView>>(PackagesCommand.PackagesPath(repo) + query, ct);
            }
            catch (ApiProblemException refused) when (refused.Status == 400)
            {
                // A name the query language cannot take as a bare word (a scoped npm name): look among the newest.
                continue;
            }
            for (var i = 0; i < page.Value.Items.Count; i++)
            {
                if (matches(page.Value.Items[i]))
                {
                    return new ApiResult<PackageView>(page.Value.Items[i], page.Json.GetProperty("items")[i]);
                }
            }
        }
        throw new ApiProblemException(404, $"The portal accepted {what} but it is not in the package list of '{repo}'.", new Dictionary<string, string[]>());
    }

    /// <summary>A wheel's distribution name (its first dash-separated part), PEP 503-normalised.</summary>
    private static string PythonName(string filename)
    {
        var distribution = filename.Split('-')[0];
        var normalised = new System.Text.StringBuilder();
        foreach (var c in distribution.ToLowerInvariant())
        {
            var separator = c is '-' or '_' or '.';
            if (!separator)
            {
                normalised.Append(c);
            }
            else if (normalised.Length > 0 && normalised[^1] != '-')
            {
                normalised.Append('-');
            }
        }
        return normalised.ToString();
    }

    private static ProgressFileContent FileContent(PackageUpload upload, Action<long> sent)
    {
        var content = new ProgressFileContent(upload.File.OpenRead(), sent);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        return content;
    }
}
