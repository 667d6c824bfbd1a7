using EntitlementPortal.Features.Packages;

namespace EntitlementPortal.Features.Formats.NuGet;

/// <summary>
/// The customer's NuGet v3 feed under both download forms: the service index, the flat container (version lists,
/// .nupkg, .nuspec), registrations and search. Only the .nupkg is a download (the one download decision, counted);
/// everything else is an index: the token's state and package query apply, its limits don't, and it is never counted.
/// </summary>
public static class NuGetFeedEndpoints
{
    private const string Json = "application/json; charset=utf-8";

    public static void Map(FormatRoutes routes)
    {
        routes.MapGet($"{NuGetFeedUrls.Root}/index.json", ServiceIndexAsync);
        routes.MapGet($"{NuGetFeedUrls.Root}/flatcontainer/{{id}}/index.json", VersionsAsync);
        routes.MapGet($"{NuGetFeedUrls.Root}/flatcontainer/{{id}}/{{version}}/{{filename}}", PackageFileAsync);
        routes.MapGet($"{NuGetFeedUrls.Root}/registration/{{id}}/index.json", RegistrationAsync);
        routes.MapGet($"{NuGetFeedUrls.Root}/query", SearchAsync);
    }

    private static async Task<IResult> ServiceIndexAsync(FormatRequest request, FormatDownloads downloads)
    {
        // Through the index check all the same: on the basic form NuGet sends its credentials only after a 401.
        var index = await downloads.OpenIndexAsync(request, PackageFormats.NuGet);
        if (index.Refusal is not null)
        {
            return index.Refusal;
        }
        var urls = new NuGetFeedUrls(request);
        ServiceResource[] resources =
        [
            new(urls.FlatContainer, "PackageBaseAddress/3.0.0"),
            .. new[] { "RegistrationsBaseUrl", "RegistrationsBaseUrl/3.0.0-beta", "RegistrationsBaseUrl/3.0.0-rc",
                "RegistrationsBaseUrl/3.4.0", "RegistrationsBaseUrl/3.6.0" }.Select(type => new ServiceResource(urls.Registrations, type)),
            .. new[] { "SearchQueryService", "SearchQueryService/3.0.0-beta", "SearchQueryService/3.0.0-rc", "SearchQueryService/3.5.0" }
                .Select(type => new ServiceResource(urls.Search, type)),
        ];
        return await index.AnswerAsync(TypedResults.Json(new ServiceIndex("3.0.0", resources), contentType: Json));
    }

    private static async Task<IResult> VersionsAsync(FormatRequest request, string id, FormatDownloads downloads)
    {
        var name = id.ToLowerInvariant();
        var index = await downloads.OpenIndexAsync(request, PackageFormats.NuGet, name);
        if (index.Refusal is not null)
        {
            return index.Refusal;
        }
        return NuGetFeedPackage.Of(index.Files).FirstOrDefault(p => p.Name == name) is { } package
            ? await index.AnswerAsync(TypedResults.Json(new VersionList(package.Versions.Select(v => v.File.Version).ToList()), contentType: Json))
            : await index.NotFoundAsync($"No package '{id}' in this feed.");
    }

    private static async Task<IResult> PackageFileAsync(
        FormatRequest request, string id, string version, string filename, FormatDownloads downloads, PackageStorage storage)
    {
        var name = id.ToLowerInvariant();
        var stored = NuGetVersion.Canonical(version) ?? version.ToLowerInvariant();
        if (filename.EndsWith(".nupkg", StringComparison.OrdinalIgnoreCase))
        {
            // The package itself: a download, decided, limited and counted by the download path alone.
            return await downloads.DownloadAsync(request, name, stored, filename.ToLowerInvariant());
        }
        var index = await downloads.OpenIndexAsync(request, PackageFormats.NuGet, name);
        if (index.Refusal is not null)
        {
            return index.Refusal;
        }
        var file = index.Files.FirstOrDefault(f => f.Package == name && f.Version == stored
            && f.Filename.EndsWith(".nupkg", StringComparison.Ordinal));
        if (file is null || !filename.Equals($"{name}.nuspec", StringComparison.OrdinalIgnoreCase))
        {
            return await index.NotFoundAsync($"No '{filename}' for {id} {version} in this feed.");
        }
        // The manifest as the package holds it (not a download): read again, bounded, from the stored package.
        byte[] nuspec;
        await using (var package = await storage.OpenReadAsync(file.Sha256))
        {
            nuspec = NupkgArchive.ReadNuspec(package);
        }
        return await index.AnswerAsync(TypedResults.Bytes(nuspec, "application/xml"));
    }

    private static async Task<IResult> RegistrationAsync(FormatRequest request, string id, FormatDownloads downloads)
    {
        var name = id.ToLowerInvariant();
        var index = await downloads.OpenIndexAsync(request, PackageFormats.NuGet, name);
        if (index.Refusal is not null)
        {
            return index.Refusal;
        }
        if (NuGetFeedPackage.Of(index.Files).FirstOrDefault(p => p.Name == name) is not { } package)
        {
            return await index.NotFoundAsync($"No package '{id}' in this feed.");
        }
        return await index.AnswerAsync(TypedResults.Json(NuGetRegistration.Of(package, new NuGetFeedUrls(request)), contentType: Json));
    }

    private static async Task<IResult> SearchAsync(
        FormatRequest request, FormatDownloads downloads, string? q, int? skip, int? take, bool? prerelease)
    {
        var index = await downloads.OpenIndexAsync(request, PackageFormats.NuGet);
        if (index.Refusal is not null)
        {
            return index.Refusal;
        }
        var search = new NuGetSearch(q, skip ?? 0, take ?? 20, prerelease ?? false);
        return await index.AnswerAsync(TypedResults.Json(search.Run(NuGetFeedPackage.Of(index.Files), new NuGetFeedUrls(request)), contentType: Json));
    }
}
