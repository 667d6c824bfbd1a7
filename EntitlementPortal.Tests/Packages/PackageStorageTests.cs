using System.Security.Cryptography;
using EntitlementPortal.Data;
using EntitlementPortal.Features.Packages;
using EntitlementPortal.Features.Shared;
using EntitlementPortal.Tests.Support;
using Microsoft.Extensions.Configuration;

namespace EntitlementPortal.Tests.Packages;

public sealed class PackageStorageTests : IDisposable
{
    private readonly TempDirectory directory = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => directory.Dispose();

    private PackageStorage Storage(long? maxBytes = null, string? root = null)
    {
        var settings = new Dictionary<string, string?> { ["Storage:Root"] = root };
        if (maxBytes is { } max)
        {
            settings["Storage:MaxUploadBytes"] = max.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new PackageStorage(configuration, new DatabaseSettings(DatabaseProvider.Sqlite, "Data Source=x.db", directory.Path));
    }

    private static string Sha256Hex(byte[] data) => Convert.ToHexStringLower(SHA256.HashData(data));

    private static byte[] RandomBytes(int length)
    {
        var data = new byte[length];
        new Random(length).NextBytes(data);
        return data;
    }

    private static string[] AllFiles(string root) =>
        Directory.Exists(root) ? Directory.GetFiles(root, "*", SearchOption.AllDirectories) : [];

    /// <summary>Writes and publishes, as an upload does once its row is saved.</summary>
    private static async Task<StoredBlob> StoreAsync(PackageStorage storage, Stream content, IProgress<long>? progress = null)
    {
        using var pending = await storage.WriteAsync(content, progress, Ct);
        await storage.PublishAsync(pending, TestContext.Current.CancellationToken);
        return pending.Blob;
    }

    [Fact]
    public void Without_a_configured_root_blobs_live_in_packages_beside_the_database()
    {
        var storage = Storage();

        Assert.Equal(Path.Combine(directory.Path, "packages"), storage.Root);
        Assert.Equal(PackageStorage.DefaultMaxUploadBytes, storage.MaxUploadBytes);
    }

    [Fact]
    public async Task Without_root_or_database_settings_storage_refuses_to_write_and_says_what_to_set()
    {
        var storage = new PackageStorage(new ConfigurationBuilder().Build());

        Assert.False(storage.IsConfigured);
        Assert.Equal(0, storage.SweepTemp(TimeSpan.Zero));
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => storage.WriteAsync(new MemoryStream([1]), cancellationToken: Ct));
        Assert.Contains("Storage:Root", error.Message);
    }

    [Fact]
    public void A_configured_root_wins_and_a_bad_limit_is_refused()
    {
        var root = Path.Combine(directory.Path, "elsewhere");

        Assert.Equal(root, Storage(root: root).Root);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Storage:MaxUploadBytes"] = "lots" }).Build();
        Assert.Contains("MaxUploadBytes", Assert.Throws<EntitlementPortal.Hosting.StartupFailedException>(() => new PackageStorage(configuration)).Message);
    }

    [Fact]
    public async Task Blob_is_stored_under_its_hash_in_two_level_folders()
    {
        var storage = Storage();
        var data = "hello package"u8.ToArray();

        var blob = await StoreAsync(storage, new MemoryStream(data));

        var hash = Sha256Hex(data);
        Assert.Equal(new StoredBlob(hash, data.Length), blob);
        var expected = Path.Combine(storage.Root, "sha256", hash[..2], hash[2..4], hash);
        Assert.Equal(expected, storage.PathFor(hash));
        Assert.Equal(data, await File.ReadAllBytesAsync(expected, Ct));
        await using var read = await storage.OpenReadAsync(hash, TestContext.Current.CancellationToken);
        Assert.Equal(data.Length, read.Length);
        Assert.Empty(AllFiles(Path.Combine(storage.Root, "tmp")));
    }

    [Fact]
    public async Task Same_content_twice_is_stored_once()
    {
        var storage = Storage();
        var data = RandomBytes(10_000);

        var first = await StoreAsync(storage, new MemoryStream(data));
        var second = await StoreAsync(storage, new MemoryStream(data));

        Assert.Equal(first, second);
        Assert.Single(AllFiles(Path.Combine(storage.Root, "sha256")));
        Assert.Empty(AllFiles(Path.Combine(storage.Root, "tmp")));
    }

    [Fact]
    public async Task Written_content_is_invisible_until_published_and_leaves_nothing_when_never_published()
    {
        var storage = Storage();
        var data = RandomBytes(1_000);

        var pending = await storage.WriteAsync(new MemoryStream(data), cancellationToken: Ct);
        Assert.False(await storage.ExistsAsync(pending.Sha256, TestContext.Current.CancellationToken));
        pending.Dispose();

        Assert.Empty(AllFiles(storage.Root));
    }

    [Fact]
    public async Task Publishing_recreates_a_blob_deleted_after_identical_content_was_written()
    {
        var storage = Storage();
        var data = RandomBytes(2_000);
        var first = await StoreAsync(storage, new MemoryStream(data));
        using var pending = await storage.WriteAsync(new MemoryStream(data), cancellationToken: Ct);

        await storage.DeleteAsync(first.Sha256, TestContext.Current.CancellationToken);
        await storage.PublishAsync(pending, TestContext.Current.CancellationToken);

        Assert.Equal(data, await File.ReadAllBytesAsync(storage.PathFor(first.Sha256), Ct));
        Assert.Empty(AllFiles(Path.Combine(storage.Root, "tmp")));
    }

    [Fact]
    public async Task Multi_megabyte_stream_read_in_small_chunks_gets_the_exact_hash_and_progress()
    {
        var storage = Storage();
        var data = RandomBytes(5 * 1024 * 1024 + 123);
        var reported = new List<long>();

        var blob = await StoreAsync(storage, new ChunkedStream(data, chunk: 7_001), new SyncProgress(reported.Add));

        Assert.Equal(Sha256Hex(data), blob.Sha256);
        Assert.Equal(data.Length, blob.Size);
        Assert.Equal(data.Length, new FileInfo(storage.PathFor(blob.Sha256)).Length);
        Assert.Equal(data.Length, reported[^1]);
        Assert.True(reported.Count > 100);
    }

    [Fact]
    public async Task Oversize_upload_stops_reading_and_leaves_no_file_anywhere()
    {
        var storage = Storage(maxBytes: 100_000);
        var source = new ChunkedStream(RandomBytes(1_000_000), chunk: 8_192);

        await Assert.ThrowsAsync<PayloadTooLargeException>(() => storage.WriteAsync(source, cancellationToken: Ct));

        Assert.True(source.Position < 200_000, $"read {source.Position} bytes of an oversize upload");
        Assert.Empty(AllFiles(storage.Root));
    }

    [Fact]
    public async Task Exactly_the_limit_is_accepted()
    {
        var storage = Storage(maxBytes: 4096);

        using var pending = await storage.WriteAsync(new MemoryStream(RandomBytes(4096)), cancellationToken: Ct);

        Assert.Equal(4096, pending.Size);
    }

    [Fact]
    public async Task A_stream_failing_mid_upload_leaves_nothing_visible()
    {
        var storage = Storage();
        var data = RandomBytes(300_000);

        var error = await Assert.ThrowsAsync<IOException>(() =>
            storage.WriteAsync(new ChunkedStream(data, chunk: 10_000, failAfter: 150_000), cancellationToken: Ct));

        Assert.Equal("connection lost", error.Message);
        Assert.False(await storage.ExistsAsync(Sha256Hex(data), TestContext.Current.CancellationToken));
        Assert.Empty(AllFiles(storage.Root));
    }

    [Fact]
    public async Task Cancelled_upload_leaves_nothing_visible()
    {
        var storage = Storage();
        using var cancel = new CancellationTokenSource();
        var source = new ChunkedStream(RandomBytes(300_000), chunk: 10_000, onRead: position =>
        {
            if (position > 50_000)
            {
                cancel.Cancel();
            }
        });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => storage.WriteAsync(source, cancellationToken: cancel.Token));

        Assert.Empty(AllFiles(storage.Root));
    }

    [Fact]
    public async Task Delete_removes_the_blob_and_sweep_removes_only_old_temp_files()
    {
        var storage = Storage();
        var blob = await StoreAsync(storage, new MemoryStream([1, 2, 3]));
        var tmp = Path.Combine(storage.Root, "tmp");
        var old = Path.Combine(tmp, "old.part");
        var fresh = Path.Combine(tmp, "fresh.part");
        await File.WriteAllBytesAsync(old, [1], Ct);
        await File.WriteAllBytesAsync(fresh, [1], Ct);
        File.SetLastWriteTimeUtc(old, DateTime.UtcNow.AddDays(-1));

        await storage.DeleteAsync(blob.Sha256, TestContext.Current.CancellationToken);
        var swept = storage.SweepTemp(TimeSpan.FromHours(1));

        Assert.False(await storage.ExistsAsync(blob.Sha256, TestContext.Current.CancellationToken));
        Assert.Equal(1, swept);
        Assert.Equal([fresh], AllFiles(tmp));
    }

    [Theory]
    [InlineData("../../etc/passwd")]
    [InlineData("ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789")]
    [InlineData("abc")]
    public void Paths_are_only_made_for_real_hashes(string hash)
    {
        Assert.Throws<ArgumentException>(() => Storage().PathFor(hash));
    }

    private sealed class SyncProgress(Action<long> report) : IProgress<long>
    {
        public void Report(long value) => report(value);
    }
}

/// <summary>A read-only stream handing out at most <c>chunk</c> bytes per read; optionally failing part-way.</summary>
internal sealed class ChunkedStream(byte[] data, int chunk, long failAfter = -1, Action<long>? onRead = null) : Stream
{
    private long position;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => position;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => ReadCore(buffer.AsSpan(offset, count));

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(ReadCore(buffer.Span));
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    private int ReadCore(Span<byte> buffer)
    {
        if (failAfter >= 0 && position >= failAfter)
        {
            throw new IOException("connection lost");
        }
        var n = (int)Math.Min(Math.Min(buffer.Length, chunk), data.Length - position);
        data.AsSpan((int)position, n).CopyTo(buffer);
        position += n;
        onRead?.Invoke(position);
        return n;
    }

    public override void Flush() => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
