using System.Buffers;
using System.Security.Cryptography;
using EntitlementPortal.Data;
using EntitlementPortal.Features.Shared;

namespace EntitlementPortal.Features.Packages;

/// <summary>What a stored blob is: its SHA-256 (lowercase hex) and length.</summary>
public sealed record StoredBlob(string Sha256, long Size);

/// <summary>
/// Package file contents, content-addressed on the file system: <c>&lt;root&gt;/sha256/ab/cd/&lt;hash&gt;</c>.
/// A write streams into <c>&lt;root&gt;/tmp</c> while hashing, is flushed to disk and then moved into place in
/// one rename, so a reader never sees a partial blob; identical content is stored once.
/// </summary>
public sealed class PackageStorage
{
    public const string Section = "Storage";
    public const long DefaultMaxUploadBytes = 2L * 1024 * 1024 * 1024;
    private const int BufferSize = 81920;

    private readonly string? root;
    private readonly SemaphoreSlim[] locks = Enumerable.Range(0, 64).Select(_ => new SemaphoreSlim(1, 1)).ToArray();

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
    /// Streams <paramref name="content"/> into the store. Over <see cref="MaxUploadBytes"/> it stops reading and
    /// throws <see cref="PayloadTooLargeException"/>; on any failure nothing is left behind.
    /// </summary>
    /// <param name="progress">Bytes written so far, reported per chunk.</param>
    public async Task<StoredBlob> WriteAsync(Stream content, IProgress<long>? progress = null, CancellationToken cancellationToken = default)
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

            var target = PathFor(hash);
            if (File.Exists(target))
            {
                File.Delete(tempPath);
            }
            else
            {
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                try
                {
                    File.Move(tempPath, target, overwrite: false);
                }
                catch (IOException) when (File.Exists(target))
                {
                    // Another upload of the same content won the race; its blob is identical.
                    File.Delete(tempPath);
                }
            }
            return new StoredBlob(hash, size);
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
    /// Serialises "is this blob still used?" decisions with uploads of the same content (in this process), so
    /// cleaning up after one request never removes a blob another request is about to reference.
    /// </summary>
    public async Task<IDisposable> LockAsync(string sha256, CancellationToken cancellationToken)
    {
        var gate = locks[Convert.ToInt32(sha256[..2], 16) % locks.Length];
        await gate.WaitAsync(cancellationToken);
        return new Release(gate);
    }

    /// <summary>Opens a blob for reading (async, shared read), or throws FileNotFoundException.</summary>
    public Stream OpenRead(string sha256) =>
        new FileStream(PathFor(sha256), FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, BufferSize, FileOptions.Asynchronous);

    /// <summary>Removes a blob. Callers check first that no package file still references the hash.</summary>
    public void Delete(string sha256) => TryDelete(PathFor(sha256));

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

    private sealed class Release(SemaphoreSlim gate) : IDisposable
    {
        private int released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref released, 1) == 0)
            {
                gate.Release();
            }
        }
    }

    private static bool TryDelete(string path)
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
