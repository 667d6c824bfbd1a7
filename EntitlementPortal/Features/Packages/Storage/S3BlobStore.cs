using System.Net;
using System.Net.Sockets;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using EntitlementPortal.Hosting;

namespace EntitlementPortal.Features.Packages.Storage;

/// <summary>
/// Blobs in an S3-compatible bucket under <c>sha256/ab/cd/&lt;hash&gt;</c>, like the folder store. Uploads go to
/// <c>tmp/&lt;guid&gt;</c> (see <see cref="S3MultipartWriter"/>) and are published by one server-side copy to the hash's
/// key, which S3 makes visible atomically: a reader sees the whole object or none.
/// </summary>
public sealed class S3BlobStore : IBlobStore, IDisposable
{
    /// <summary>The largest object one CopyObject can publish.</summary>
    public const long MaxPublishableBytes = 5L * 1024 * 1024 * 1024;

    internal const string TempPrefix = "tmp/";

    private readonly S3StorageSettings settings;

    public S3BlobStore(S3StorageSettings settings)
    {
        this.settings = settings;
        var config = new AmazonS3Config
        {
            ForcePathStyle = settings.ForcePathStyle,
            // Checksums only where S3 requires them: some S3-compatible servers store aws-chunked bodies as sent.
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
            MaxErrorRetry = 2,
            Timeout = TimeSpan.FromSeconds(30),
        };
        if (settings.ServiceUrl is { } url)
        {
            config.ServiceURL = url.ToString();
            if (settings.Region is { } signingRegion)
            {
                config.AuthenticationRegion = signingRegion;
            }
        }
        else
        {
            config.RegionEndpoint = Amazon.RegionEndpoint.GetBySystemName(settings.Region);
        }
        Client = settings.AccessKey is { } key
            ? new AmazonS3Client(new BasicAWSCredentials(key, settings.SecretKey), config)
            : new AmazonS3Client(config);
        ((AmazonServiceClient)Client).BeforeRequestEvent += SendCopySourceUnencoded;
    }

    /// <summary>
    /// The SDK sends the copy source as one percent-encoded string (<c>bucket%2Ftmp%2F…</c>); S3 decodes it, some
    /// S3-compatible servers do not. Keys here are hex digits and slashes and need no encoding, so the plain form is
    /// the same source to every server. Raised before signing, so the header sent is the header signed.
    /// </summary>
    private static void SendCopySourceUnencoded(object sender, RequestEventArgs e)
    {
        if (e is WebServiceRequestEventArgs request && request.Headers.TryGetValue("x-amz-copy-source", out var source))
        {
            request.Headers["x-amz-copy-source"] = Uri.UnescapeDataString(source);
        }
    }

    public string Location => settings.Describe();

    public string Bucket => settings.Bucket;

    internal IAmazonS3 Client { get; }

    /// <summary>The key of a (validated) hash: the same layout as the folder store.</summary>
    public static string KeyFor(string sha256) => PackageStorage.IsSha256(sha256)
        ? $"sha256/{sha256[..2]}/{sha256[2..4]}/{sha256}"
        : throw new ArgumentException("Not a lowercase hex SHA-256.", nameof(sha256));

    public Task<PendingBlob> WriteAsync(Stream content, long maxBytes, IProgress<long>? progress, CancellationToken cancellationToken) =>
        new S3MultipartWriter(this).WriteAsync(content, maxBytes, progress, cancellationToken);

    public async Task PublishAsync(PendingBlob pending, CancellationToken cancellationToken)
    {
        var key = KeyFor(pending.Sha256);
        if (!await ExistsAsync(pending.Sha256, cancellationToken))
        {
            await Guard(() => Client.CopyObjectAsync(new CopyObjectRequest
            {
                SourceBucket = Bucket,
                SourceKey = pending.TemporaryLocation,
                DestinationBucket = Bucket,
                DestinationKey = key,
            }, cancellationToken), cancellationToken);
        }
        pending.IsPublished = true;
        await DeleteTempAsync(pending.TemporaryLocation);
    }

    public void Release(PendingBlob pending)
    {
        if (pending.LocalCopy is { } copy)
        {
            FileSystemBlobStore.TryDelete(copy);
        }
        if (!pending.IsPublished)
        {
            // Not awaited: Dispose is synchronous, and a temp object left by a failed delete is swept later.
            _ = DeleteTempAsync(pending.TemporaryLocation);
        }
    }

    public async Task<bool> ExistsAsync(string sha256, CancellationToken cancellationToken)
    {
        try
        {
            await Guard(() => Client.GetObjectMetadataAsync(Bucket, KeyFor(sha256), cancellationToken), cancellationToken);
            return true;
        }
        catch (FileNotFoundException)
        {
            return false;
        }
    }

    public async Task<Stream> OpenRangeAsync(string sha256, long offset, long length, CancellationToken cancellationToken)
    {
        if (length == 0)
        {
            return Stream.Null;
        }
        var response = await Guard(() => Client.GetObjectAsync(new GetObjectRequest
        {
            BucketName = Bucket,
            Key = KeyFor(sha256),
            ByteRange = new ByteRange(offset, offset + length - 1),
        }, cancellationToken), cancellationToken);
        return new S3ResponseStream(response);
    }

    public async Task<Stream> OpenSeekableAsync(string sha256, CancellationToken cancellationToken)
    {
        // Archive readers seek: a local copy that goes away when the stream is closed.
        var copy = new FileStream(Path.Combine(Path.GetTempPath(), "ep-blob-" + Guid.NewGuid().ToString("N")), FileMode.CreateNew,
            FileAccess.ReadWrite, FileShare.None, 81920, FileOptions.Asynchronous | FileOptions.DeleteOnClose);
        try
        {
            using var response = await Guard(() => Client.GetObjectAsync(Bucket, KeyFor(sha256), cancellationToken), cancellationToken);
            await response.ResponseStream.CopyToAsync(copy, cancellationToken);
            copy.Position = 0;
            return copy;
        }
        catch
        {
            await copy.DisposeAsync();
            throw;
        }
    }

    public async Task<byte[]?> ReadVerifiedAsync(string sha256, long size, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await Guard(() => Client.GetObjectAsync(Bucket, KeyFor(sha256), cancellationToken), cancellationToken);
            if (response.ContentLength != size)
            {
                return null;
            }
            var content = new byte[size];
            await response.ResponseStream.ReadExactlyAsync(content, cancellationToken);
            return PackageStorage.IsContentOf(content, sha256) ? content : null;
        }
        catch (Exception ex) when (ex is FileNotFoundException or EndOfStreamException)
        {
            return null;
        }
    }

    public Task DeleteAsync(string sha256, CancellationToken cancellationToken) =>
        Guard(() => Client.DeleteObjectAsync(Bucket, KeyFor(sha256), cancellationToken), cancellationToken);

    /// <summary>Writes and removes a tiny temp object: the bucket is reachable and these credentials may write to it.</summary>
    public async Task<bool> CanWriteAsync(CancellationToken cancellationToken)
    {
        var probe = TempPrefix + Guid.NewGuid().ToString("N") + ".probe";
        try
        {
            await Guard(() => Client.PutObjectAsync(new PutObjectRequest
            {
                BucketName = Bucket,
                Key = probe,
                ContentBody = "1",
                UseChunkEncoding = false,
            }, cancellationToken), cancellationToken);
            await Guard(() => Client.DeleteObjectAsync(Bucket, probe, cancellationToken), cancellationToken);
            return true;
        }
        catch (BlobStoreUnavailableException)
        {
            return false;
        }
    }

    public async Task EnsureUsableAsync(CancellationToken cancellationToken)
    {
        try
        {
            await Guard(() => Client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = Bucket, Prefix = TempPrefix, MaxKeys = 1 }, cancellationToken), cancellationToken);
        }
        catch (Exception ex) when (ex is BlobStoreUnavailableException or FileNotFoundException)
        {
            throw new StartupFailedException($"package storage {Location} cannot be reached ({StartupFailedException.FirstLine(ex.InnerException?.Message ?? ex.Message)}). Check Storage:S3.", ex);
        }
    }

    public Task<int> SweepAsync(TimeSpan olderThan, CancellationToken cancellationToken) =>
        new S3TempSweep(this).RunAsync(DateTime.UtcNow - olderThan, cancellationToken);

    /// <summary>
    /// A short-lived GET address for the blob that makes the object store answer with this file name and type, so the
    /// client saves the right file; signed locally, no request to the store.
    /// </summary>
    public string PresignGet(string sha256, string filename, string contentType, TimeSpan lifetime)
    {
        var disposition = new Microsoft.Net.Http.Headers.ContentDispositionHeaderValue("attachment");
        disposition.SetHttpFileName(filename);
        var request = new GetPreSignedUrlRequest
        {
            BucketName = Bucket,
            Key = KeyFor(sha256),
            Verb = HttpVerb.GET,
            Expires = DateTime.UtcNow.Add(lifetime),
            Protocol = settings.ServiceUrl?.Scheme == "http" ? Protocol.HTTP : Protocol.HTTPS,
        };
        request.ResponseHeaderOverrides.ContentDisposition = disposition.ToString();
        request.ResponseHeaderOverrides.ContentType = contentType;
        return Client.GetPreSignedURL(request);
    }

    public void Dispose() => Client.Dispose();

    internal async Task DeleteTempAsync(string key)
    {
        try
        {
            await Client.DeleteObjectAsync(Bucket, key);
        }
        catch (Exception ex) when (IsTransportFailure(ex, CancellationToken.None))
        {
            // Swept later (S3TempSweep).
        }
    }

    /// <summary>
    /// Runs a request and says what its failure means to callers: a missing object is FileNotFoundException (as for
    /// files), an unreachable or failing service is <see cref="BlobStoreUnavailableException"/>.
    /// </summary>
    internal static async Task<T> Guard<T>(Func<Task<T>> request, CancellationToken cancellationToken)
    {
        try
        {
            return await request();
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.NotFound && ex.ErrorCode is not "NoSuchBucket")
        {
            throw new FileNotFoundException("No such object in the bucket.", ex);
        }
        catch (Exception ex) when (IsTransportFailure(ex, cancellationToken))
        {
            throw new BlobStoreUnavailableException("The object store could not be reached or failed.", ex);
        }
    }

    private static bool IsTransportFailure(Exception ex, CancellationToken cancellationToken) =>
        ex is AmazonServiceException or AmazonClientException or HttpRequestException or IOException or SocketException
        || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested);

}
