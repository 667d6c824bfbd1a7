using System.Security.Cryptography;
using EntitlementPortal.Data;
using EntitlementPortal.Features.Packages.Storage;
using EntitlementPortal.Features.Shared;
using EntitlementPortal.Hosting;

namespace EntitlementPortal.Features.Packages;

/// <summary>What a stored blob is: its SHA-256 (lowercase hex) and length.</summary>
public sealed record StoredBlob(string Sha256, long Size);

/// <summary>Where package contents are kept (<c>Storage:Provider</c>).</summary>
public enum StorageProvider
{
    FileSystem,
    S3,
}

/// <summary>
/// Package file contents, content-addressed by SHA-256 in the configured <see cref="IBlobStore"/> (a folder or an
/// S3-compatible bucket): identical content is stored once, and nothing is visible under a hash before it is
/// published. This is the one door to the store: every hash is checked here, so a key or path is only ever built
/// from 64 lowercase hex characters.
/// </summary>
public sealed class PackageStorage
{
    public const string Section = "Storage";
    public const long DefaultMaxUploadBytes = 2L * 1024 * 1024 * 1024;

    private readonly IBlobStore? store;

    /// <param name="database">Gives the default root (beside the database); the app always registers it.</param>
    public PackageStorage(IConfiguration configuration, DatabaseSettings? database = null)
    {
        var max = configuration[$"{Section}:MaxUploadBytes"];
        MaxUploadBytes = string.IsNullOrWhiteSpace(max) ? DefaultMaxUploadBytes
            : long.TryParse(max, System.Globalization.CultureInfo.InvariantCulture, out var parsed) && parsed > 0 ? parsed
            : throw new StartupFailedException($"{Section}:MaxUploadBytes must be a positive number of bytes, not '{max}'.");
        Provider = ProviderFrom(configuration[$"{Section}:Provider"]);
        if (Provider == StorageProvider.S3)
        {
            var settings = S3StorageSettings.From(configuration.GetSection($"{Section}:S3"));
            if (MaxUploadBytes > S3BlobStore.MaxPublishableBytes)
            {
                // Publishing is one server-side copy, which S3 allows up to 5 GiB.
                throw new StartupFailedException($"{Section}:MaxUploadBytes is at most {S3BlobStore.MaxPublishableBytes} with {Section}:Provider=S3.");
            }
            store = new S3BlobStore(settings);
            return;
        }
        var configured = configuration[$"{Section}:Root"];
        var root = !string.IsNullOrWhiteSpace(configured) ? Path.GetFullPath(configured)
            : database is not null ? Path.GetFullPath(Path.Combine(database.DataDirectory, "packages"))
            : null;
        store = root is null ? null : new FileSystemBlobStore(root);
    }

    public StorageProvider Provider { get; }

    /// <summary>False only in a host without database settings or Storage:Root (some tests); every use then fails.</summary>
    public bool IsConfigured => store is not null;

    public IBlobStore Store => store
        ?? throw new InvalidOperationException($"Set {Section}:Root: there are no database settings to place package storage beside.");

    /// <summary>The folder of the file-system store (tests and operators look inside it).</summary>
    public string Root => FileSystem.Root;

    public long MaxUploadBytes { get; }

    /// <summary>Where the blob with this hash lives in the file-system store (whether or not it exists yet).</summary>
    public string PathFor(string sha256) => FileSystem.PathFor(Checked(sha256));

    public Task<bool> ExistsAsync(string sha256, CancellationToken cancellationToken = default) => Store.ExistsAsync(Checked(sha256), cancellationToken);

    /// <summary>
    /// Streams <paramref name="content"/> to a temporary place while hashing it; nothing is visible under the hash until
    /// <see cref="PublishAsync"/>. Over <see cref="MaxUploadBytes"/> it stops reading and throws
    /// <see cref="PayloadTooLargeException"/>; on any failure nothing is left behind.
    /// </summary>
    /// <param name="progress">Bytes written so far, reported per chunk.</param>
    public Task<PendingBlob> WriteAsync(Stream content, IProgress<long>? progress = null, CancellationToken cancellationToken = default) =>
        Store.WriteAsync(content, MaxUploadBytes, progress, cancellationToken);

    /// <summary>
    /// Makes pending content visible under its hash, re-creating the blob if a clean-up removed it, or drops the
    /// temporary copy when identical content is there already. Callers hold the blob's database lock
    /// (<see cref="DatabaseLock.PackageBlobs"/>) until the row that references it is committed, so a clean-up
    /// on any instance sees that row or runs before this.
    /// </summary>
    public Task PublishAsync(PendingBlob pending, CancellationToken cancellationToken = default) => Store.PublishAsync(pending, cancellationToken);

    /// <summary>The planned bytes of a blob, for sending; FileNotFoundException when it is not there.</summary>
    public Task<Stream> OpenRangeAsync(string sha256, long offset, long length, CancellationToken cancellationToken = default) =>
        Store.OpenRangeAsync(Checked(sha256), offset, length, cancellationToken);

    /// <summary>A whole blob as a seekable stream, for archive readers; FileNotFoundException when it is not there.</summary>
    public Task<Stream> OpenReadAsync(string sha256, CancellationToken cancellationToken = default) =>
        Store.OpenSeekableAsync(Checked(sha256), cancellationToken);

    /// <summary>
    /// The whole content of a small blob, only if it is exactly <paramref name="size"/> bytes and hashes to
    /// <paramref name="sha256"/>; null otherwise (missing, truncated, grown or damaged), so nothing but the content
    /// the hash names is ever kept in memory under it.
    /// </summary>
    public Task<byte[]?> ReadVerifiedAsync(string sha256, long size, CancellationToken cancellationToken) =>
        size < 0 || size > Array.MaxLength ? Task.FromResult<byte[]?>(null) : Store.ReadVerifiedAsync(Checked(sha256), size, cancellationToken);

    /// <summary>Removes a blob. Callers check first, under the blob's database lock, that no package file still references the hash.</summary>
    public Task DeleteAsync(string sha256, CancellationToken cancellationToken = default) => Store.DeleteAsync(Checked(sha256), cancellationToken);

    /// <summary>Whether a new blob could be stored now: the readiness check, so a full disk or a lost bucket takes the instance out.</summary>
    public async Task<bool> CanWriteAsync(CancellationToken cancellationToken) =>
        store is not null && await store.CanWriteAsync(cancellationToken);

    /// <summary>Removes temp files (file system) older than <paramref name="olderThan"/>, left by uploads cut off by a crash.</summary>
    public int SweepTemp(TimeSpan olderThan) => store is FileSystemBlobStore files ? files.SweepTemp(olderThan) : 0;

    public static bool IsSha256(string? text) =>
        text is { Length: 64 } && text.All(c => char.IsAsciiDigit(c) || c is >= 'a' and <= 'f');

    internal static bool IsContentOf(byte[] content, string sha256) => Convert.ToHexStringLower(SHA256.HashData(content)) == sha256;

    internal static void EnsureWithinLimit(long size, long maxBytes)
    {
        if (size > maxBytes)
        {
            throw new PayloadTooLargeException($"The file is larger than the upload limit of {Tokens.ByteSize.Format(maxBytes)}.");
        }
    }

    private FileSystemBlobStore FileSystem => Store as FileSystemBlobStore
        ?? throw new InvalidOperationException($"Package storage is {Provider}: there is no folder.");

    private static string Checked(string sha256) => IsSha256(sha256) ? sha256
        : throw new ArgumentException("Not a lowercase hex SHA-256.", nameof(sha256));

    private static StorageProvider ProviderFrom(string? text) =>
        string.IsNullOrWhiteSpace(text) ? StorageProvider.FileSystem
        : Enum.TryParse<StorageProvider>(text.Trim(), ignoreCase: true, out var provider) && Enum.IsDefined(provider) && !text.Trim().All(char.IsAsciiDigit) ? provider
        : throw new StartupFailedException($"{Section}:Provider '{text}' is not valid; use FileSystem or S3.");
}

/// <summary>
/// At start-up: stops the start with one clear line when the store cannot be used (an unreachable bucket), then
/// clears what uploads that never finished (a crash or a kill mid-upload) left behind.
/// </summary>
internal sealed class PackageStorageSweeper(PackageStorage storage, ILogger<PackageStorageSweeper> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!storage.IsConfigured)
        {
            return;
        }
        await storage.Store.EnsureUsableAsync(cancellationToken);
        try
        {
            // An hour keeps uploads running on another instance sharing the store safe.
            var removed = await storage.Store.SweepAsync(TimeSpan.FromHours(1), cancellationToken);
            if (removed > 0)
            {
                logger.LogInformation("Removed {Count} unfinished uploads from {Location}", removed, storage.Store.Location);
            }
        }
        catch (BlobStoreUnavailableException ex)
        {
            // Leftovers cost space only; the next start sweeps again.
            logger.LogWarning(ex, "Could not sweep unfinished uploads from {Location}", storage.Store.Location);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
