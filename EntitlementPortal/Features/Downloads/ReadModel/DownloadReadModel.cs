namespace EntitlementPortal.Features.Downloads.ReadModel;

/// <summary>
/// This instance's cache of what downloads read — repositories by slug, tokens by secret digest (current or
/// previous) with their parsed restrictions and customer standing, files by path — valid for one value of
/// <see cref="DownloadModelVersion"/>. Every request reads the version first (<see cref="OpenAsync"/>) and starts
/// from an empty cache when it moved, so a change committed on any instance refuses the very next request here.
/// Usage counters are never cached, and neither is a user's access (DownloadAccess reads it per request).
/// </summary>
internal sealed class DownloadReadModel(DownloadModelVersionReader versions, DownloadModelLoader loader)
{
    private DownloadModelGeneration current = new(-1);

    /// <summary>The cache as of the database's current version: the version is read before any entry is loaded.</summary>
    public async ValueTask<DownloadModelView> OpenAsync(CancellationToken cancellationToken) =>
        new(GenerationOf(await versions.ReadAsync(cancellationToken)), loader);

    private DownloadModelGeneration GenerationOf(long version)
    {
        while (true)
        {
            var seen = Volatile.Read(ref current);
            if (seen.Version == version)
            {
                return seen;
            }
            // Any other value replaces it, lower ones too (a racing request that read just before a change, or a
            // restored database): entries are only ever loaded after reading the version they are filed under, so
            // a generation never holds anything older than its version.
            var fresh = new DownloadModelGeneration(version);
            if (Interlocked.CompareExchange(ref current, fresh, seen) == seen)
            {
                return fresh;
            }
        }
    }
}

/// <summary>Everything cached under one version; replaced as a whole, never edited, when the version moves.</summary>
internal sealed class DownloadModelGeneration(long version)
{
    // Bounds: about 1 KiB per token and half that per file, so a few tens of MiB at most.
    private const int MaxRepositories = 1_000;
    private const int MaxTokens = 20_000;
    private const int MaxFiles = 20_000;

    public long Version { get; } = version;
    public BoundedCache<string, DownloadRepository> Repositories { get; } = new(MaxRepositories);
    public BoundedCache<TokenKey, DownloadToken> Tokens { get; } = new(MaxTokens);
    public BoundedCache<FileKey, DownloadFile> Files { get; } = new(MaxFiles);
}
