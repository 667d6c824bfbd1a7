using System.Buffers;
using System.Security.Cryptography;
using EntitlementPortal.Data;
using EntitlementPortal.Features.Shared;
using Microsoft.Win32.SafeHandles;

namespace EntitlementPortal.Features.Packages;

/// <summary>What a stored blob is: its SHA-256 (lowercase hex) and length.</summary>
public sealed record StoredBlob(string Sha256, long Size);

/// <summary>
/// Content written and hashed into the temp folder but not yet visible under its hash (see
/// <see cref="PackageStorage.Publish"/>). Disposing it removes the temp file unless it was published.
/// </summary>
public sealed class PendingBlob : IDisposable
{
    internal PendingBlob(string tempPath, StoredBlob blob)
    {
        TempPath = tempPath;
        Blob = blob;
    }

    public StoredBlob Blob { get; }

    public string Sha256 => Blob.Sha256;

    public long Size => Blob.Size;

    public bool IsPublished { get; internal set; }

    internal string TempPath { get; }

    public void Dispose()
    {
        if (!IsPublished)
        {
            PackageStorage.TryDelete(TempPath);
        }
    }
}

/// <summary>
/// Package file contents, content-addressed on the file system: <c>&lt;root&gt;/sha256/ab/cd/&lt;hash&gt;</c>.
/// A write streams into <c>&lt;root&gt;/tmp</c> while hashing and is flushed to disk; publishing moves it into
/// place in one rename, so a reader never sees a partial blob; identical content is stored once.
/// </summary>
public sealed class PackageStorage
{
    public const string Section = "Storage";
    public const long DefaultMaxUploadBytes = 2L * 1024 * 1024 * 1024;
    private const int BufferSize = 81920;

    private readonly string? root;

    /// <param name="database">Gives the default root (beside the database); the app always registers it.</param>
    public PackageStorage(IConfiguration configuration, DatabaseSettings? database = null)
    {
        var configured = configuration[$"{Section}:Root"];
        root = !string.IsNullOrWhiteSpace(configured) ? Path.GetFullPath(configured)
            : database is not null ? Path.GetFullPath(Path.Combine(database.DataDirectory, "packages"))
            : null;
        var max = configuration[$"{Section}:MaxUploadBytes"];
        MaxUploadBytes = string.IsNullOrWhiteSpace(max) ? DefaultMaxUploadBytes
            : long.TryParse(max, System.Globalization.CultureInfo.InvariantCulture, out var parsed) && parsed > 0 ? parsed
            : throw new Hosting.StartupFailedException($"{Section}:MaxUploadBytes must be a positive number of bytes, not '{max}'.");
    }

    /// <summary>False only in a host without database settings or Storage:Root (some tests); every use then fails.</summary>
    public bool IsConfigured => root is not null;

    public string Root => root
        ?? throw new InvalidOperationException($"Set {Section}:Root: there are no database settings to place package storage beside.");

    public long MaxUploadBytes { get; }

    /// <summary>Where the blob with this hash lives (whether or not it exists yet).</summary>
    public string PathFor(string sha256)
    {
        if (!IsSha256(sha256))
        {
            throw new ArgumentException("Not a lowercase hex SHA-256.", nameof(sha256));
        }
        return Path.Combine(BlobRoot, sha256[..2], sha256[2..4], sha256);
    }

    public bool Exists(string sha256) => File.Exists(PathFor(sha256));

    /// <summary>
    /// Streams <paramref name="content"/> into a temp file while hashing it; nothing is visible under the hash until
    /// <see cref="Publish"/>. Over <see cref="MaxUploadBytes"/> it stops reading and throws
    /// <see cref="PayloadTooLargeException"/>; on any failure nothing is left behind.
    /// </summary>
    /// <param name="progress">Bytes written so far, reported per chunk.</param>
    public async Task<PendingBlob> WriteAsync(Stream content, IProgress<long>? progress = null, CancellationToken cancellationToken = default)
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
                    if (size > MaxUploadBytes)
                    {
                        throw new PayloadTooLargeException(
                            $"The file is larger than the upload limit of {Tokens.ByteSize.Format(MaxUploadBytes)}.");
                    }
                    sha.AppendData(buffer, 0, read);
                    await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                    progress?.Report(size);
                }
                await file.FlushAsync(cancellationToken);
                // Durable before it becomes visible under its hash.
                file.Flush(flushToDisk: true);
                hash = Convert.ToHexStringLower(sha.GetHashAndReset());
            }

            return new PendingBlob(tempPath, new StoredBlob(hash, size));
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

    /// <summary>
    /// Makes pending content visible under its hash, re-creating the blob if a clean-up removed it, or drops the
    /// temp file when identical content is there already. Callers hold the blob's database lock
    /// (<see cref="Data.DatabaseLock.PackageBlobs"/>) until the row that references it is committed, so a clean-up
    /// on any instance sees that row or runs before this.
    /// </summary>
    public void Publish(PendingBlob pending)
    {
        var target = PathFor(pending.Sha256);
        if (!File.Exists(target))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            try
            {
                File.Move(pending.TempPath, target, overwrite: false);
                pending.IsPublished = true;
                return;
            }
            catch (IOException) when (File.Exists(target))
            {
                // Written by someone not holding the lock (a restored backup, an operator); its content is identical.
            }
        }
        TryDelete(pending.TempPath);
        pending.IsPublished = true;
    }

    /// <summary>Opens a blob for reading (async, shared read), or throws FileNotFoundException.</summary>
    public Stream OpenRead(string sha256) =>
        new FileStream(PathFor(sha256), FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, BufferSize, FileOptions.Asynchronous);

    /// <summary>
    /// Opens a blob for sending with positional reads (<see cref="RandomAccess"/>): no stream buffer of its own, so
    /// the bytes go from the file straight into the response's memory, and read-ahead told it is read in order.
    /// Throws FileNotFoundException when it is not there.
    /// </summary>
    public SafeFileHandle OpenForSending(string sha256) =>
        File.OpenHandle(PathFor(sha256), FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete,
            FileOptions.Asynchronous | FileOptions.SequentialScan);

    /// <summary>
    /// The whole content of a small blob, only if it is exactly <paramref name="size"/> bytes and hashes to
    /// <paramref name="sha256"/>; null otherwise (missing, truncated, grown or damaged on disk), so nothing but the
    /// content the hash names is ever kept in memory under it.
    /// </summary>
    public async Task<byte[]?> ReadVerifiedAsync(string sha256, long size, CancellationToken cancellationToken)
    {
        if (size < 0 || size > Array.MaxLength)
        {
            return null;
        }
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
            var hash = SHA256.HashData(content);
            return Convert.ToHexStringLower(hash) == sha256 ? content : null;
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        catch (DirectoryNotFoundException)
        {
            return null;
        }
    }

    /// <summary>Removes a blob. Callers check first, under the blob's database lock, that no package file still references the hash.</summary>
    public void Delete(string sha256) => TryDelete(PathFor(sha256));

    /// <summary>
    /// Whether a new blob could be written now: creates and removes a tiny file where uploads stage theirs. Used by
    /// the readiness check, so a full disk or a lost mount takes the instance out of the load balancer.
    /// </summary>
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
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>Removes temp files older than <paramref name="olderThan"/>, left by uploads cut off by a crash.</summary>
    public int SweepTemp(TimeSpan olderThan)
    {
        if (!IsConfigured || !Directory.Exists(TempRoot))
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

    private string BlobRoot => Path.Combine(Root, "sha256");

    private string TempRoot => Path.Combine(Root, "tmp");

    public static bool IsSha256(string? text) =>
        text is { Length: 64 } && text.All(c => char.IsAsciiDigit(c) || c is >= 'a' and <= 'f');

    internal static bool TryDelete(string path)
    {
        try
        {
            File.Delete(path);
            return true;
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }
}

/// <summary>At start-up, clears temp files of uploads that never finished (a crash or a kill mid-upload).</summary>
internal sealed class PackageStorageSweeper(PackageStorage storage, ILogger<PackageStorageSweeper> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        // An hour keeps uploads running on another instance sharing the folder safe.
        var removed = storage.SweepTemp(TimeSpan.FromHours(1));
        if (removed > 0)
        {
            logger.LogInformation("Removed {Count} unfinished upload files from {Root}", removed, storage.Root);
        }
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
