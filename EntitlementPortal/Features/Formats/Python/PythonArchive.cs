using System.Formats.Tar;
using System.IO.Compression;
using static EntitlementPortal.Features.Formats.Python.CoreMetadata;

namespace EntitlementPortal.Features.Formats.Python;

/// <summary>
/// Finds and reads the one core-metadata file of a wheel (zip: "{name}-{version}.dist-info/METADATA") or an sdist
/// (tar.gz or zip: "{name}-{version}/PKG-INFO"). Bounded: the entry count is capped, every name is checked (no
/// "..", no absolute path), the metadata is read through the decompressor up to <see cref="MaxMetadataBytes"/>
/// whatever the headers claim, and a tar is expanded at most to <see cref="MaxExpandedTarBytes"/>.
/// </summary>
public static class PythonArchive
{
    public const int MaxMetadataBytes = 1024 * 1024;
    public const int MaxEntries = 100_000;
    public const long MaxExpandedTarBytes = 4L * 1024 * 1024 * 1024;

    /// <summary>The METADATA of a wheel: exactly one "*.dist-info/METADATA" at the top of the archive.</summary>
    public static byte[] WheelMetadata(Stream wheel, string filename) =>
        ZipMetadata(wheel, filename, name => name.Count(c => c == '/') == 1 && name.EndsWith(".dist-info/METADATA", StringComparison.Ordinal),
            "*.dist-info/METADATA file");

    /// <summary>The PKG-INFO of a zip sdist: exactly one "{dir}/PKG-INFO".</summary>
    public static byte[] ZipSdistMetadata(Stream sdist, string filename) =>
        ZipMetadata(sdist, filename, IsSdistMetadata, "{name}-{version}/PKG-INFO file");

    /// <summary>The PKG-INFO of a .tar.gz sdist: exactly one "{dir}/PKG-INFO", a regular file.</summary>
    public static byte[] TarSdistMetadata(string path, string filename)
    {
        try
        {
            using var file = File.OpenRead(path);
            using var gzip = new GZipStream(file, CompressionMode.Decompress);
            using var expanded = new BoundedReadStream(gzip, MaxExpandedTarBytes, $"{filename} expands to more than {MaxExpandedTarBytes / (1024 * 1024 * 1024)} GiB.");
            using var reader = new TarReader(expanded);
            byte[]? metadata = null;
            var count = 0;
            while (reader.GetNextEntry() is { } entry)
            {
                if (++count > MaxEntries)
                {
                    throw Invalid($"{filename} has more than {MaxEntries} entries.");
                }
                var name = EntryName(entry.Name, filename);
                if (entry.EntryType is TarEntryType.SymbolicLink or TarEntryType.HardLink && UnsafeLink(name, entry.LinkName))
                {
                    throw Invalid($"{filename} has a link '{Shorten(name)}' that points outside the package.");
                }
                if (!IsSdistMetadata(name))
                {
                    continue;
                }
                if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile) || entry.DataStream is null)
                {
                    throw Invalid($"{filename}: {name} is not a regular file.");
                }
                if (metadata is not null)
                {
                    throw Invalid($"{filename} has more than one PKG-INFO at its top level.");
                }
                metadata = ReadBounded(entry.DataStream, name, filename);
            }
            return metadata ?? throw Invalid($"{filename} has no {{name}}-{{version}}/PKG-INFO file; build the sdist with a current build backend.");
        }
        catch (Exception ex) when (ex is InvalidDataException or FormatException or EndOfStreamException or ArgumentException)
        {
            throw Invalid($"{filename} is not a readable .tar.gz archive.");
        }
    }

    private static byte[] ZipMetadata(Stream content, string filename, Func<string, bool> isMetadata, string what)
    {
        ZipArchive archive;
        try
        {
            archive = new ZipArchive(content, ZipArchiveMode.Read, leaveOpen: true);
        }
        catch (InvalidDataException)
        {
            throw Invalid($"{filename} is not a zip archive.");
        }
        using (archive)
        {
            if (archive.Entries.Count > MaxEntries)
            {
                throw Invalid($"{filename} has more than {MaxEntries} entries.");
            }
            ZipArchiveEntry? found = null;
            foreach (var entry in archive.Entries)
            {
                var name = EntryName(entry.FullName, filename);
                if (!isMetadata(name))
                {
                    continue;
                }
                if (found is not null)
                {
                    throw Invalid($"{filename} has more than one {what}.");
                }
                found = entry;
            }
            if (found is null)
            {
                throw Invalid($"{filename} has no {what}.");
            }
            try
            {
                using var stream = found.Open();
                return ReadBounded(stream, found.FullName, filename);
            }
            catch (InvalidDataException)
            {
                throw Invalid($"{filename}: {found.FullName} can't be decompressed.");
            }
        }
    }

    private static bool IsSdistMetadata(string name)
    {
        var slash = name.IndexOf('/', StringComparison.Ordinal);
        return slash > 0 && name[(slash + 1)..] == "PKG-INFO";
    }

    /// <summary>The entry's name with "./" prefixes dropped; a path that could leave the extraction folder is refused.</summary>
    private static string EntryName(string raw, string filename)
    {
        var name = raw.Replace('\\', '/');
        while (name.StartsWith("./", StringComparison.Ordinal))
        {
            name = name[2..];
        }
        if (name.StartsWith('/') || (name.Length > 1 && name[1] == ':') || name.Split('/').Contains("..") || name.Contains('\0'))
        {
            throw Invalid($"{filename} has an entry with an unsafe path: '{Shorten(raw)}'.");
        }
        return name;
    }

    private static bool UnsafeLink(string name, string target)
    {
        target = target.Replace('\\', '/');
        if (target.StartsWith('/') || (target.Length > 1 && target[1] == ':'))
        {
            return true;
        }
        // Resolve the target against the link's folder: it must stay inside the archive.
        var depth = name.Split('/').Length - 1;
        foreach (var part in target.Split('/'))
        {
            depth += part switch { ".." => -1, "." or "" => 0, _ => 1 };
            if (depth < 0)
            {
                return true;
            }
        }
        return false;
    }

    private static byte[] ReadBounded(Stream stream, string entry, string filename)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = stream.Read(chunk, 0, chunk.Length)) > 0)
        {
            if (buffer.Length + read > MaxMetadataBytes)
            {
                throw Invalid($"{filename}: {entry} is larger than {MaxMetadataBytes / 1024} KiB.");
            }
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    private static string Shorten(string text) => text.Length > 80 ? text[..80] + "…" : text;

    /// <summary>Reads at most a fixed number of bytes from a decompressor, then refuses: a bomb stops here.</summary>
    private sealed class BoundedReadStream(Stream inner, long max, string tooLarge) : Stream
    {
        private long total;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => total;
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var read = inner.Read(buffer, offset, count);
            total += read;
            return total > max ? throw Invalid(tooLarge) : read;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
