using EntitlementPortal.Features.Downloads;
using EntitlementPortal.Features.Formats;
using EntitlementPortal.Features.Tokens;
using Microsoft.AspNetCore.Http.HttpResults;

namespace EntitlementPortal.Features.CustomerPage;

/// <summary>
/// The customer's download page for a browser opening the index URL: rendered on the server as one static HTML
/// document (no circuit, no script, nothing from another origin), from what the download decision already resolved:
/// the files the token may see and its refusal, with the same status code the JSON index answers.
/// </summary>
internal static class CustomerPageResult
{
    public const string VendorNameSetting = "Portal:VendorName";

    public static async Task<IResult> RenderAsync(
        HttpContext http, string repo, string? token, IReadOnlyList<DownloadService.ListedFile> files, DownloadRefusal? refusal, int? tokenId)
    {
        var services = http.RequestServices;
        var queries = services.GetRequiredService<CustomerPageQueries>();
        var vendor = services.GetRequiredService<IConfiguration>()[VendorNameSetting];
        // No-store: the page holds the token in its links, and a shared cache must never keep it.
        http.Response.Headers.CacheControl = "no-store";
        http.Response.Headers["X-Robots-Tag"] = "noindex, nofollow";
        if (refusal is not null)
        {
            DownloadEndpoints.AddRefusalHeaders(http, refusal);
            // A refused link names nothing the request didn't: no repository title, no token terms.
            return Page(new CustomerPageModel(vendor, repo, repo, null, new CustomerPageRefusal(refusal.Status, refusal.Reason, refusal.Detail),
                null, [], [], []), refusal.Status);
        }

        var title = await queries.RepositoryAsync(repo, http.RequestAborted);
        var summary = tokenId is { } id ? await queries.TokenAsync(id, http.RequestAborted) : null;
        var basePath = token is null
            ? $"{http.Request.PathBase}/dl/basic/{Uri.EscapeDataString(repo)}"
            : $"{http.Request.PathBase}/dl/{Uri.EscapeDataString(token)}/{Uri.EscapeDataString(repo)}";
        var packages = files
            .GroupBy(f => f.Package, StringComparer.Ordinal)
            .Select(p => new CustomerPackage(p.Key, p.First().Format, p
                .GroupBy(f => f.Version, StringComparer.Ordinal)
                .Select(v => new CustomerVersion(v.Key, v.Select(f => new CustomerFile(f.File.Filename, f.File.Size, f.File.Sha256,
                    $"{basePath}/{Uri.EscapeDataString(f.Package)}/{Uri.EscapeDataString(f.Version)}/{Uri.EscapeDataString(f.File.Filename)}")).ToList()))
                .ToList()))
            .ToList();

        var siteRoot = $"{http.Request.Scheme}://{http.Request.Host}{http.Request.PathBase}";
        var byFormat = files.Where(f => f.Format != Packages.PackageRules.RawFormat)
            .GroupBy(f => f.Format, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<string>)g.Select(f => f.Package).Distinct(StringComparer.Ordinal).ToList(), StringComparer.Ordinal);
        var installs = services.GetRequiredService<InstallSnippets>().For(siteRoot, repo, token, byFormat);
        var commands = new List<CustomerCommand>();
        if (files.FirstOrDefault() is { } first)
        {
            var example = new DownloadableFile(first.Package, first.Version, first.File.Filename, first.File.Size);
            var secret = token ?? DownloadCommand.TokenPlaceholder;
            commands.Add(new CustomerCommand("curl", DownloadCommand.Curl(siteRoot, secret, repo, example)));
            commands.Add(new CustomerCommand("wget", DownloadCommand.Wget(siteRoot, secret, repo, example)));
        }
        var model = new CustomerPageModel(vendor, repo, title?.Name ?? repo, title?.Description, null, summary, packages, installs, commands)
        {
            Eula = title?.Eula,
            EulaAcceptUrl = token is null ? null : $"{basePath}/eula",
        };
        return Page(model, StatusCodes.Status200OK);
    }

    private static RazorComponentResult<CustomerDownloadPage> Page(CustomerPageModel model, int status) =>
        new(new Dictionary<string, object?> { [nameof(CustomerDownloadPage.Model)] = model }) { StatusCode = status };
}
