using System.Formats.Tar;
using System.IO.Compression;
using System.Text.Json;
using FluentValidation;
using FluentValidation.Results;

namespace EntitlementPortal.Features.Formats.Npm;

/// <summary>How much of a tarball is read before it is refused: a small gzip can claim (or inflate to) anything.</summary>
public sealed record NpmTarballLimits(int MaxEntries, long MaxUnpackedBytes, int MaxManifestBytes)
{
    public static NpmTarballLimits Default { get; } = new(MaxEntries: 20_000, MaxUnpackedBytes: 1024L * 1024 * 1024, MaxManifestBytes: 1024 * 1024);
}

/// <summary>What an npm tarball holds that the registry needs: its package.json and the counts npm shows.</summary>
public sealed record NpmTarballContents(JsonElement PackageJson, int FileCount, long UnpackedSize);

/// <summary>
/// Reads an npm tarball (a gzip'd tar with the package under <c>package/</c>) with bounded extraction: every entry
/// is walked (so a path that escapes the package folder is found wherever it is), the inflated stream is capped, and
/// package.json is read up to a cap whatever its header says. Nothing is written to disk.
/// </summary>
public static class NpmTarball
{
    public const string ManifestPath = "package/package.json";

    public static async Task<NpmTarballContents> ReadAsync(Stream gzipped, NpmTarballLimits limits, CancellationToken cancellationToken)
    {
        try
        {
            await using var gzip = new GZipStream(gzipped, CompressionMode.Decompress, leaveOpen: true);
            await using var bounded = new BoundedReadStream(gzip, limits.MaxUnpackedBytes);
            await using var tar = new TarReader(bounded, leaveOpen: true);
            byte[]? manifest = null;
            int entries = 0, files = 0;
            long unpacked = 0;
            while (await tar.GetNextEntryAsync(copyData: false, cancellationToken) is { } entry)
            {
                if (++entries > limits.MaxEntries)
                {
                    throw Invalid($"The tarball has more than {limits.MaxEntries} entries.");
                }
                EnsureInsidePackage(entry.Name);
                switch (entry.EntryType)
                {
                    case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile:
                        files++;
                        unpacked += entry.Length;
                        if (entry.Name == ManifestPath)
                        {
                            manifest = manifest is null
                                ? await ReadManifestAsync(entry.DataStream, limits.MaxManifestBytes, cancellationToken)
                                : throw Invalid("The tarball holds package/package.json twice.");
                        }
                        break;
                    case TarEntryType.Directory:
                        break;
                    default:
                        // npm pack writes files and folders only; links could point outside the package when unpacked.
                        throw Invalid($"The tarball entry '{Shorten(entry.Name)}' is a {entry.EntryType}; an npm package holds only files and folders.");
                }
            }
            if (manifest is null)
            {
                throw Invalid("The tarball has no package/package.json; build it with `npm pack` or `npm publish`.");
            }
            return new NpmTarballContents(ParseManifest(manifest), files, unpacked);
        }
        catch (Exception ex) when (ex is InvalidDataException or FormatException or EndOfStreamException or ArgumentException)
        {
            throw Invalid("The file is not an npm tarball (a gzip'd tar archive): " + ex.Message);
        }
    }

    private static void EnsureInsidePackage(string name)
    {
        var segments = name.Replace('\\', '/').Split('/');
        if (name.StartsWith('/') || name.StartsWith('\\') || name.Contains(':') || segments.Contains("..")
            || !(segments[0] == "package" && (segments.Length > 1 || name == "package")))
        {
            throw Invalid($"The tarball entry '{Shorten(name)}' is outside the package/ folder; refusing it.");
        }
    }

    private static async Task<byte[]> ReadManifestAsync(Stream? data, int max, CancellationToken cancellationToken)
    {
        if (data is null)
        {
            return [];
        }
        // Read at most one byte past the cap: the header's size is not trusted.
        var buffer = new byte[max + 1];
        var read = 0;
        while (read < buffer.Length && await data.ReadAsync(buffer.AsMemory(read), cancellationToken) is > 0 and var n)
        {
            read += n;
        }
        return read > max ? throw Invalid($"package/package.json is larger than {max / 1024} KiB.") : buffer[..read];
    }

    private static JsonElement ParseManifest(byte[] manifest)
    {
        try
        {
            using var document = JsonDocument.Parse(manifest, new JsonDocumentOptions { MaxDepth = 64 });
            return document.RootElement.ValueKind == JsonValueKind.Object
                ? document.RootElement.Clone()
                : throw Invalid("package/package.json is not a JSON object.");
        }
        catch (JsonException ex)
        {
            throw Invalid("package/package.json is not valid JSON: " + ex.Message);
        }
    }

    private static string Shorten(string text) => text.Length > 80 ? text[..80] + "…" : text;

    internal static ValidationException Invalid(string message) => new([new ValidationFailure("file", message)]);

    /// <summary>Stops an inflating stream at a byte budget: the guard against archives that expand without end.</summary>
    private sealed class BoundedReadStream(Stream inner, long max) : Stream
    {
        private long total;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => total; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Count(await inner.ReadAsync(buffer, cancellationToken));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        private int Count(int read)
        {
            total += read;
            return total > max ? throw Invalid($"The tarball unpacks to more than {max / (1024 * 1024)} MiB; refusing it.") : read;
        }

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
