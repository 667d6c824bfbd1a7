namespace EntitlementPortal.Features.Demo;

/// <summary>A package file the demo uploaded: downloads of it can be replayed against the running portal.</summary>
internal sealed record DemoFile(string Repo, string Package, string Version, string Filename, long Size);

/// <summary>
/// A standard token as the event generator needs it: where it may download from, which clients it uses and the
/// limits its history must respect (so the portal's counters and the events tell the same story).
/// </summary>
internal sealed record DemoToken(
    int Id, string Repo, int? CustomerId, bool IsActive, string[] ClientPool, long? LimitDownloads, long? LimitBandwidth,
    string? OnlyPackage, string? ForeignRefusal, double Activity);

/// <summary>What <see cref="DemoCatalogWriter"/> created: the ground the download history is generated on.</summary>
internal sealed record DemoWorld(
    IReadOnlyList<string> Repositories, int Customers, IReadOnlyList<DemoToken> Tokens, IReadOnlyList<DemoFile> Files);
