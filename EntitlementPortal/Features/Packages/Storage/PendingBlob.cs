using EntitlementPortal.Features.Packages.Storage;

namespace EntitlementPortal.Features.Packages;

/// <summary>
/// Content written and hashed to a temporary place (a temp file, a temp object) but not yet visible under its hash
/// (see <see cref="IBlobStore.PublishAsync"/>). Disposing it removes the temporary content unless it was published.
/// </summary>
public sealed class PendingBlob : IDisposable
{
    private readonly IBlobStore store;
    private readonly Func<PendingBlob, CancellationToken, Task<string>> localFile;
    private bool disposed;

    internal PendingBlob(IBlobStore store, string temporaryLocation, StoredBlob blob, Func<PendingBlob, CancellationToken, Task<string>> localFile)
    {
        this.store = store;
        this.localFile = localFile;
        TemporaryLocation = temporaryLocation;
        Blob = blob;
    }

    public StoredBlob Blob { get; }

    public string Sha256 => Blob.Sha256;

    public long Size => Blob.Size;

    public bool IsPublished { get; internal set; }

    /// <summary>The temp file's path or the temp object's key.</summary>
    internal string TemporaryLocation { get; }

    /// <summary>A local copy an object store made for <see cref="LocalFileAsync"/>; removed on dispose.</summary>
    internal string? LocalCopy { get; set; }

    /// <summary>A file on this machine holding the content, for format readers that open archives by path.</summary>
    public Task<string> LocalFileAsync(CancellationToken cancellationToken) => localFile(this, cancellationToken);

    public void Dispose()
    {
        if (!disposed)
        {
            disposed = true;
            store.Release(this);
        }
    }
}
