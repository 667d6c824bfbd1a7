namespace EntitlementPortal.Cli.Client.Models;

public sealed record PackageView(
    int Id, string Name, string Version, IReadOnlyList<string> Tags, string Format,
    IReadOnlyList<PackageFileView> Files, string UploadedBy, DateTime UploadedAt);

public sealed record PackageFileView(string Filename, long Size, string Sha256);
