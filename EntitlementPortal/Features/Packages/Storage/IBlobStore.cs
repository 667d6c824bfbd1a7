namespace EntitlementPortal.Features.Packages.Storage;

/// <summary>
/// Where package file contents live, content-addressed by SHA-256: the file system or an S3-compatible bucket.
/// <see cref="PackageStorage"/> validates every hash before it reaches a store, so keys and paths are only ever
/// built from 64 lowercase hex characters.
/// </summary>
public interface IBlobStore
{
    /// <summary>Where the blobs are, for log lines and start-up messages (never a secret).</summary>
    string Location { get; }

    /// <summary>Streams and hashes content to a temporary place; nothing is visible under a hash until published.</summary>
    Task<PendingBlob> WriteAsync(Stream content, long maxBytes, IProgress<long>? progress, CancellationToken cancellationToken);

    /// <summary>Makes pending content visible under its hash in one step, or drops it when identical content is there.</summary>
    Task PublishAsync(PendingBlob pending, CancellationToken cancellationToken);

    Task<bool> ExistsAsync(string sha256, CancellationToken cancellationToken);

    /// <summary>The bytes <paramref name="offset"/> to <paramref name="offset"/> + <paramref name="length"/>; FileNotFoundException when missing.</summary>
    Task<Stream> OpenRangeAsync(string sha256, long offset, long length, CancellationToken cancellationToken);

    /// <summary>The whole blob as a seekable stream (archive readers need one); FileNotFoundException when missing.</summary>
    Task<Stream> OpenSeekableAsync(string sha256, CancellationToken cancellationToken);

    /// <summary>The whole content, only if it is exactly <paramref name="size"/> bytes and hashes to <paramref name="sha256"/>.</summary>
    Task<byte[]?> ReadVerifiedAsync(string sha256, long size, CancellationToken cancellationToken);

    Task DeleteAsync(string sha256, CancellationToken cancellationToken);

    /// <summary>Whether a new blob could be stored now (the readiness check).</summary>
    Task<bool> CanWriteAsync(CancellationToken cancellationToken);

    /// <summary>Throws <see cref="Hosting.StartupFailedException"/> with one clear line when the store cannot be used.</summary>
    Task EnsureUsableAsync(CancellationToken cancellationToken);

    /// <summary>Removes what uploads cut off by a crash left behind, older than <paramref name="olderThan"/>.</summary>
    Task<int> SweepAsync(TimeSpan olderThan, CancellationToken cancellationToken);

    /// <summary>Called once when a pending blob is disposed: remove its temporary content unless it was published.</summary>
    void Release(PendingBlob pending);
}

/// <summary>The blob store could not be reached or answered with a server error: a 503, never a count.</summary>
public sealed class BlobStoreUnavailableException(string message, Exception? innerException = null)
    : Exception(message, innerException);
