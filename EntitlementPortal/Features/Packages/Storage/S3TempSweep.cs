using Amazon.S3;
using Amazon.S3.Model;

namespace EntitlementPortal.Features.Packages.Storage;

/// <summary>
/// Removes what uploads cut off by a crash left under <c>tmp/</c>: temp objects, and incomplete multipart uploads
/// (whose parts are stored, and billed, but listed nowhere else). Only older than the bound, so uploads running on
/// another instance are left alone. A bucket lifecycle rule aborting incomplete uploads is a good second net.
/// </summary>
internal sealed class S3TempSweep(S3BlobStore store)
{
    public async Task<int> RunAsync(DateTime cutoff, CancellationToken cancellationToken)
    {
        var removed = 0;
        string? continuation = null;
        do
        {
            var page = await S3BlobStore.Guard(() => store.Client.ListObjectsV2Async(new ListObjectsV2Request
            {
                BucketName = store.Bucket,
                Prefix = S3BlobStore.TempPrefix,
                ContinuationToken = continuation,
            }, cancellationToken), cancellationToken);
            foreach (var item in page.S3Objects ?? [])
            {
                if (item.LastModified is { } modified && modified.ToUniversalTime() < cutoff)
                {
                    await S3BlobStore.Guard(() => store.Client.DeleteObjectAsync(store.Bucket, item.Key, cancellationToken), cancellationToken);
                    removed++;
                }
            }
            continuation = page.IsTruncated == true ? page.NextContinuationToken : null;
        }
        while (continuation is not null);
        return removed + await AbortStaleUploadsAsync(cutoff, cancellationToken);
    }

    private async Task<int> AbortStaleUploadsAsync(DateTime cutoff, CancellationToken cancellationToken)
    {
        ListMultipartUploadsResponse uploads;
        try
        {
            uploads = await store.Client.ListMultipartUploadsAsync(new ListMultipartUploadsRequest
            {
                BucketName = store.Bucket,
                Prefix = S3BlobStore.TempPrefix,
            }, cancellationToken);
        }
        catch (AmazonS3Exception ex) when (ex.ErrorCode is "NotImplemented" || ex.StatusCode == System.Net.HttpStatusCode.NotImplemented)
        {
            // Some S3-compatible servers cannot list uploads; their lifecycle rules (or nothing) clean up.
            return 0;
        }
        var aborted = 0;
        foreach (var upload in uploads.MultipartUploads ?? [])
        {
            if (upload.Initiated is { } initiated && initiated.ToUniversalTime() < cutoff)
            {
                await S3BlobStore.Guard(() => store.Client.AbortMultipartUploadAsync(store.Bucket, upload.Key, upload.UploadId, cancellationToken), cancellationToken);
                aborted++;
            }
        }
        return aborted;
    }
}
