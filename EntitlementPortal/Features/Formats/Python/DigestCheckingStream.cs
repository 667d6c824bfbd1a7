using System.Security.Cryptography;

namespace EntitlementPortal.Features.Formats.Python;

/// <summary>
/// Passes the uploaded file through while hashing it, and at its end refuses it when the SHA-256 is not the one
/// the client sent (twine's sha256_digest): the storage write that reads it then fails and keeps nothing.
/// </summary>
internal sealed class DigestCheckingStream(Stream inner, string expectedHex, string filename) : Stream
{
    private readonly IncrementalHash sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private bool checkedDigest;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Seen(buffer.AsSpan(offset, inner.Read(buffer, offset, count)));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await inner.ReadAsync(buffer, cancellationToken);
        return Seen(buffer.Span[..read]);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    private int Seen(ReadOnlySpan<byte> data)
    {
        if (data.Length > 0)
        {
            sha.AppendData(data);
            return data.Length;
        }
        if (!checkedDigest)
        {
            checkedDigest = true;
            var actual = Convert.ToHexStringLower(sha.GetHashAndReset());
            if (!string.Equals(actual, expectedHex.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                throw CoreMetadata.Invalid($"'{filename}' arrived with SHA-256 {actual}, not the sha256_digest {expectedHex.Trim()} that was sent; upload it again.");
            }
        }
        return 0;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            sha.Dispose();
        }
        base.Dispose(disposing);
    }
}
