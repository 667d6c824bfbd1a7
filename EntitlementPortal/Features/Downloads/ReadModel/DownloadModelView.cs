namespace EntitlementPortal.Features.Downloads.ReadModel;

/// <summary>
/// One request's look-ups: from the generation of the version it read, or from the database as before (then
/// filed under that generation). Only what exists is cached, so unknown slugs, secrets and paths cannot fill it.
/// </summary>
internal sealed class DownloadModelView(DownloadModelGeneration generation, DownloadModelLoader loader)
{
    public long Version => generation.Version;

    public ValueTask<DownloadRepository?> RepositoryAsync(string slug, CancellationToken cancellationToken) =>
        generation.Repositories.TryGet(slug, out var repository)
            ? ValueTask.FromResult<DownloadRepository?>(repository)
            : Load(generation.Repositories, slug, loader.RepositoryAsync(slug, cancellationToken));

    public ValueTask<DownloadToken?> TokenAsync(int repositoryId, string digest, CancellationToken cancellationToken)
    {
        var key = new TokenKey(repositoryId, digest);
        return generation.Tokens.TryGet(key, out var token)
            ? ValueTask.FromResult<DownloadToken?>(token)
            : Load(generation.Tokens, key, loader.TokenAsync(key, cancellationToken));
    }

    public ValueTask<DownloadFile?> FileAsync(int repositoryId, DownloadTarget target, CancellationToken cancellationToken)
    {
        var key = new FileKey(repositoryId, target.Package, target.Version, target.Filename);
        return generation.Files.TryGet(key, out var file)
            ? ValueTask.FromResult<DownloadFile?>(file)
            : Load(generation.Files, key, loader.FileAsync(key, cancellationToken));
    }

    private static async ValueTask<TValue?> Load<TKey, TValue>(BoundedCache<TKey, TValue> cache, TKey key, Task<TValue?> loading)
        where TKey : notnull where TValue : class
    {
        var value = await loading;
        if (value is not null)
        {
            cache.Add(key, value);
        }
        return value;
    }
}
