using System.Buffers;
using System.Security.Cryptography;

namespace EntitlementPortal.Features.Packages.Storage;

/// <summary>
/// Blobs in a folder: <c>&lt;root&gt;/sha256/ab/cd/&lt;hash&gt;</c>. A write streams into <c>&lt;root&gt;/tmp</c> while hashing
/// and is flushed to disk; publishing moves it into place in one rename, so a reader never sees a partial blob.
/// </summary>
public sealed class FileSystemBlobStore(string root) : IBlobStore
{
    private const int BufferSize = 81920;

    public string Root { get; } = root;

    public string Location => Root;

    private string BlobRoot => Path.Combine(Root, "sha256");

    private string TempRoot => Path.Combine(Root, "tmp");

    /// <summary>Where the blob with this (validated) hash lives, whether or not it exists yet.</summary>
    public string PathFor(string sha256) => Path.Combine(BlobRoot, sha256[..2], sha256[2..4], sha256);

    public async Task<PendingBlob> WriteAsync(Stream content, long maxBytes, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(TempRoot);
        var tempPath = Path.Combine(TempRoot, Guid.NewGuid().ToString("N") + ".part");
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            string hash;
            long size = 0;
            using (var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256))
            await using (var file = new FileStream(tempPath, new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                Share = FileShare.None,
                Options = FileOptions.Asynchronous,
                BufferSize = 0,
            }))
            {
                int read;
                while ((read = await content.ReadAsync(buffer.AsMemory(0, BufferSize), cancellationToken)) > 0)
                {
                    size += read;
                    PackageStorage.EnsureWithinLimit(size, maxBytes);
                    sha.AppendData(buffer, 0, read);
                    await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                    progress?.Report(size);
                }
                await file.FlushAsync(cancellationToken);
                // Durable before it becomes visible under its hash.
                file.Flush(flushToDisk: true);
                hash = Convert.ToHexStringLower(sha.GetHashAndReset());
            }
            return new PendingBlob(this, tempPath, new StoredBlob(hash, size), (pending, _) => Task.FromResult(pending.TemporaryLocation));
        }
        catch
        {
            TryDelete(tempPath);
            throw;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public Task PublishAsync(PendingBlob pending, CancellationToken cancellationToken)
    {
        var target = PathFor(pending.Sha256);
        if (!File.Exists(target))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            try
            {
                File.Move(pending.TemporaryLocation, target, overwrite: false);
                pending.IsPublished = true;
                return Task.CompletedTask;
            }
            catch (IOException) when (File.Exists(target))
            {
                // Written by someone not holding the lock (a restored backup, an operator); its content is identical.
            }
        }
        TryDelete(pending.TemporaryLocation);
        pending.IsPublished = true;
        return Task.CompletedTask;
    }

    public void Release(PendingBlob pending)
    {
        if (!pending.IsPublished)
        {
            TryDelete(pending.TemporaryLocation);
        }
    }

    public Task<bool> ExistsAsync(string sha256, CancellationToken cancellationToken) => Task.FromResult(File.Exists(PathFor(sha256)));

    public Task<Stream> OpenRangeAsync(string sha256, long offset, long length, CancellationToken cancellationToken)
    {
        // No stream buffer of its own (bufferSize 0): reads go from the file straight into the caller's memory, and
        // read-ahead is told the file is read in order.
        var file = new FileStream(PathFor(sha256), new FileStreamOptions
        {
            Mode = FileMode.Open,
            Access = FileAccess.Read,
            Share = FileShare.Read | FileShare.Delete,
            Options = FileOptions.Asynchronous | FileOptions.SequentialScan,
            BufferSize = 0,
        });
        file.Position = offset;
        return Task.FromResult<Stream>(file);
    }

    public Task<Stream> OpenSeekableAsync(string sha256, CancellationToken cancellationToken) =>
        Task.FromResult<Stream>(new FileStream(PathFor(sha256), FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, BufferSize, FileOptions.Asynchronous));

    public async Task<byte[]?> ReadVerifiedAsync(string sha256, long size, CancellationToken cancellationToken)
    {
        try
        {
            using var handle = File.OpenHandle(PathFor(sha256), FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, FileOptions.Asynchronous);
            if (RandomAccess.GetLength(handle) != size)
            {
                return null;
            }
            var content = new byte[size];
            var filled = 0;
            while (filled < content.Length)
            {
                var read = await RandomAccess.ReadAsync(handle, content.AsMemory(filled), filled, cancellationToken);
                if (read == 0)
                {
                    return null;
                }
                filled += read;
            }
            return PackageStorage.IsContentOf(content, sha256) ? content : null;
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    public Task DeleteAsync(string sha256, CancellationToken cancellationToken)
    {
        TryDelete(PathFor(sha256));
        return Task.CompletedTask;
    }

    /// <summary>Creates and removes a tiny file where uploads stage theirs, so a full disk or a lost mount shows.</summary>
    public async Task<bool> CanWriteAsync(CancellationToken cancellationToken)
    {
        try
        {
            Directory.CreateDirectory(TempRoot);
            var probe = Path.Combine(TempRoot, Guid.NewGuid().ToString("N") + ".probe");
            await using var file = new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose);
            await file.WriteAsync(new byte[] { 1 }, cancellationToken);
            await file.FlushAsync(cancellationToken);
            return true;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>The folder is created on first write; a start-up check would only duplicate the readiness check.</summary>
    public Task EnsureUsableAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<int> SweepAsync(TimeSpan olderThan, CancellationToken cancellationToken) => Task.FromResult(SweepTemp(olderThan));

    public int SweepTemp(TimeSpan olderThan)
    {
        if (!Directory.Exists(TempRoot))
        {
            return 0;
        }
        var removed = 0;
        var cutoff = DateTime.UtcNow - olderThan;
        foreach (var file in Directory.EnumerateFiles(TempRoot, "*.part"))
        {
            if (File.GetLastWriteTimeUtc(file) < cutoff && TryDelete(file))
            {
                removed++;
            }
        }
        return removed;
    }

    internal static bool TryDelete(string path)
    {
        try
        {
            File.Delete(path);
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
