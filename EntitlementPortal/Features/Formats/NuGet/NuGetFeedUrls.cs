namespace EntitlementPortal.Features.Formats.NuGet;

/// <summary>
/// Absolute URLs of the feed's resources, in the form of the request (token in the path, or the basic form), so the
/// client keeps using the credentials it reached the service index with.
/// </summary>
public sealed class NuGetFeedUrls(FormatRequest request)
{
    public const string Root = "/nuget/v3";

    private readonly string root = request.AbsoluteBase + Root;

    public string ServiceIndex => $"{root}/index.json";

    public string FlatContainer => $"{root}/flatcontainer/";

    public string Registrations => $"{root}/registration/";

    public string Search => $"{root}/query";

    public string RegistrationIndex(string id) => $"{Registrations}{Escape(id)}/index.json";

    public string RegistrationLeaf(string id, string version) => $"{Registrations}{Escape(id)}/{Escape(version)}.json";

    public string PackageContent(string id, string version) =>
        $"{FlatContainer}{Escape(id)}/{Escape(version)}/{Escape(NuGetFormat.NupkgFilename(id, version))}";

    private static string Escape(string segment) => Uri.EscapeDataString(segment.ToLowerInvariant());
}
