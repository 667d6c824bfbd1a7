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
                throw new UsageException($"'{upload.File.Name}' is an npm package: publish it with npm publish --registry {client.BaseAddress}api/v1/{repoPath}/npm/ (docs/cli.md).");
            case PackageFormat.Python:
                throw new UsageException($"'{upload.File.Name}' is a Python package: publish it with twine upload --repository-url {client.BaseAddress}api/v1/{repoPath}/python/ (docs/cli.md).");
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

    private static ProgressFileContent FileContent(PackageUpload upload, Action<long> sent)
    {
        var content = new ProgressFileContent(upload.File.OpenRead(), sent);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        return content;
    }
}
