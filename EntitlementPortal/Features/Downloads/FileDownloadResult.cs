using System.Buffers;
using System.Globalization;
using EntitlementPortal.Features.Packages;
using Microsoft.Net.Http.Headers;

namespace EntitlementPortal.Features.Downloads;

/// <summary>
/// Sends a file exactly as its <see cref="FileResponsePlan"/> says (the same plan the ledger counted) and
/// reports how many bytes actually went out, so the history records them and unsent reserved bytes are refunded.
/// </summary>
internal sealed class FileDownloadResult(ServedFile file, PackageStorage storage, Func<long, Task> finished) : IResult
{
    private const int BufferSize = 64 * 1024;

    public async Task ExecuteAsync(HttpContext http)
    {
        long sent = 0;
        try
        {
            var plan = file.Plan;
            var response = http.Response;
            response.StatusCode = plan.Status;
            var headers = response.GetTypedHeaders();
            headers.ETag = new EntityTagHeaderValue(file.Validators.ETag);
            headers.LastModified = file.Validators.LastModified;
            switch (plan.Kind)
            {
                case FileResponseKind.NotModified:
                    return;
                case FileResponseKind.PreconditionFailed:
                    response.ContentLength = 0;
                    return;
                case FileResponseKind.RangeNotSatisfiable:
                    response.Headers.AcceptRanges = "bytes";
                    response.Headers.ContentRange = $"bytes */{file.Validators.Size.ToString(CultureInfo.InvariantCulture)}";
                    response.ContentLength = 0;
                    return;
            }

            response.Headers.AcceptRanges = "bytes";
            response.ContentType = SafeContentType.For(file.ContentType);
            var disposition = new ContentDispositionHeaderValue("attachment");
            disposition.SetHttpFileName(file.Filename);
            response.Headers.ContentDisposition = disposition.ToString();
            if (plan.Kind == FileResponseKind.Partial)
            {
                response.Headers.ContentRange = string.Create(CultureInfo.InvariantCulture,
                    $"bytes {plan.Offset}-{plan.Offset + plan.Length - 1}/{file.Validators.Size}");
            }
            response.ContentLength = plan.Length;
            if (!HttpMethods.IsHead(http.Request.Method))
            {
                sent = await CopyAsync(http, plan);
            }
        }
        finally
        {
            await finished(sent);
        }
    }

    /// <summary>Copies the planned bytes; stops quietly (returning what went out) when the client goes away.</summary>
    private async Task<long> CopyAsync(HttpContext http, FileResponsePlan plan)
    {
        var aborted = http.RequestAborted;
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        long sent = 0;
        try
        {
            await using var content = storage.OpenRead(file.Sha256);
            if (plan.Offset > 0)
            {
                content.Seek(plan.Offset, SeekOrigin.Begin);
            }
            var remaining = plan.Length;
            while (remaining > 0)
            {
                var read = await content.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, remaining)), aborted);
                if (read == 0)
                {
                    break;
                }
                await http.Response.Body.WriteAsync(buffer.AsMemory(0, read), aborted);
                sent += read;
                remaining -= read;
            }
        }
        catch (Exception ex) when (aborted.IsCancellationRequested && ex is OperationCanceledException or IOException)
        {
            // The client closed the connection: what it got is what it got.
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        return sent;
    }
}
