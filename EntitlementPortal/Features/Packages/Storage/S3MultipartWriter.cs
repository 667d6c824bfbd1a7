using System.Buffers;
using System.Security.Cryptography;
using Amazon.S3.Model;

namespace EntitlementPortal.Features.Packages.Storage;

/// <summary>
/// One upload into the bucket, hashed while it streams, into a temp key (<c>tmp/&lt;guid&gt;</c>): the hash, and so
/// the final key, is only known at the end, and an S3 multipart upload's key is fixed when it starts. Content that
/// fits in one part is one PutObject; larger content is a multipart upload of <see cref="PartSize"/> parts, so memory
/// stays at one part however large the file. Any failure aborts the multipart upload; nothing is ever written
/// under a hash here.
/// </summary>
internal sealed class S3MultipartWriter(S3BlobStore store)
{
    /// <summary>8 MiB: above S3's 5 MiB minimum part size, and 10,000 parts allow far more than the upload limit.</summary>
    public const int PartSize = 8 * 1024 * 1024;

    public async Task<PendingBlob> WriteAsync(Stream content, long maxBytes, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        var key = S3BlobStore.TempPrefix + Guid.NewGuid().ToString("N");
        var buffer = ArrayPool<byte>.Shared.Rent(PartSize);
        string? uploadId = null;
        try
        {
            using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            long size = 0;
            var parts = new List<PartETag>();
            while (true)
            {
                var filled = await FillAsync(content, buffer, cancellationToken);
                size += filled;
                PackageStorage.EnsureWithinLimit(size, maxBytes);
                sha.AppendData(buffer, 0, filled);
                progress?.Report(size);
                var last = filled < PartSize;
                if (last && uploadId is null)
                {
                    await PutAsync(key, buffer, filled, cancellationToken);
                    break;
                }
                uploadId ??= (await S3BlobStore.Guard(() => store.Client.InitiateMultipartUploadAsync(store.Bucket, key, cancellationToken), cancellationToken)).UploadId;
                if (filled > 0 || parts.Count == 0)
                {
                    parts.Add(await UploadPartAsync(key, uploadId, parts.Count + 1, buffer, filled, cancellationToken));
                }
                if (last)
                {
                    await S3BlobStore.Guard(() => store.Client.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
                    {
                        BucketName = store.Bucket,
                        Key = key,
                        UploadId = uploadId,
                        PartETags = parts,
                    }, cancellationToken), cancellationToken);
                    uploadId = null;
                    break;
                }
            }
            var blob = new StoredBlob(Convert.ToHexStringLower(sha.GetHashAndReset()), size);
            return new PendingBlob(store, key, blob, LocalCopyAsync);
        }
        catch
        {
            if (uploadId is not null)
            {
                await AbortAsync(key, uploadId);
            }
            throw;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Reads until the part is full or the content ends: parts other than the last must be full-sized.</summary>
    private static async Task<int> FillAsync(Stream content, byte[] buffer, CancellationToken cancellationToken)
    {
        var filled = 0;
        int read;
        while (filled < PartSize && (read = await content.ReadAsync(buffer.AsMemory(filled, PartSize - filled), cancellationToken)) > 0)
        {
            filled += read;
        }
        return filled;
    }

    private Task PutAsync(string key, byte[] buffer, int count, CancellationToken cancellationToken) =>
        S3BlobStore.Guard(() => store.Client.PutObjectAsync(new PutObjectRequest
        {
            BucketName = store.Bucket,
            Key = key,
            InputStream = new MemoryStream(buffer, 0, count, writable: false),
            AutoCloseStream = false,
            UseChunkEncoding = false,
        }, cancellationToken), cancellationToken);

    private async Task<PartETag> UploadPartAsync(string key, string uploadId, int number, byte[] buffer, int count, CancellationToken cancellationToken)
    {
        var response = await S3BlobStore.Guard(() => store.Client.UploadPartAsync(new UploadPartRequest
        {
            BucketName = store.Bucket,
            Key = key,
            UploadId = uploadId,
            PartNumber = number,
            InputStream = new MemoryStream(buffer, 0, count, writable: false),
            PartSize = count,
            UseChunkEncoding = false,
        }, cancellationToken), cancellationToken);
        return new PartETag(number, response.ETag);
    }

    private async Task AbortAsync(string key, string uploadId)
    {
        try
        {
            // Not the caller's token: the upload is aborted even when the client went away.
            await store.Client.AbortMultipartUploadAsync(store.Bucket, key, uploadId, CancellationToken.None);
        }
        catch (Exception ex) when (ex is Amazon.Runtime.AmazonServiceException or Amazon.Runtime.AmazonClientException or HttpRequestException or IOException)
        {
            // S3TempSweep aborts what is left once it is older than the sweep's bound.
        }
    }

    /// <summary>Format readers open archives by path: a local copy of the temp object, removed with the pending blob.</summary>
    private async Task<string> LocalCopyAsync(PendingBlob pending, CancellationToken cancellationToken)
    {
        if (pending.LocalCopy is { } existing)
        {
            return existing;
        }
        var path = Path.Combine(Path.GetTempPath(), "ep-upload-" + Guid.NewGuid().ToString("N"));
        pending.LocalCopy = path;
        using var response = await S3BlobStore.Guard(() => store.Client.GetObjectAsync(store.Bucket, pending.TemporaryLocation, cancellationToken), cancellationToken);
        await using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, FileOptions.Asynchronous);
        await response.ResponseStream.CopyToAsync(file, cancellationToken);
        return path;
    }
}
