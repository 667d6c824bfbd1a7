using System.Globalization;
using System.IO.Pipelines;
using EntitlementPortal.Features.Packages;
using Microsoft.Net.Http.Headers;

namespace EntitlementPortal.Features.Downloads;

/// <summary>
/// Sends a file exactly as its <see cref="FileResponsePlan"/> says (the same plan the ledger counted) and
/// reports how many bytes actually went out, so the history records them and unsent reserved bytes are refunded.
/// </summary>
internal sealed class FileDownloadResult(ServedFile file, PackageStorage storage, CachedContentReader smallFiles, Func<long, Task> finished) : IResult
{
    /// <summary>One read and one flush per this many bytes: large enough to cost few system calls and wake-ups.</summary>
    private const int ReadSize = 256 * 1024;

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
                sent = await SendAsync(http, plan);
            }
        }
        finally
        {
            await finished(sent);
        }
    }

    /// <summary>
    /// Sends the planned bytes, from memory when the file is small enough for the <see cref="ContentCache"/>,
    /// else straight from the blob. Stops quietly when the client goes away, returning the bytes handed to the
    /// connection (which may be a little more than the client received, never less: a refund never gives back
    /// bytes that went out).
    /// </summary>
    private async Task<long> SendAsync(HttpContext http, FileResponsePlan plan)
    {
        var aborted = http.RequestAborted;
        var body = http.Response.BodyWriter;
        long sent = 0;
        try
        {
            if (await smallFiles.ReadAsync(file.Sha256, file.Validators.Size, aborted) is { } content)
            {
                // The plan lies within the file (FileResponsePlan checks every range against its size), and the
                // content is exactly that size.
                sent = plan.Length;
                await body.WriteAsync(content.Slice(checked((int)plan.Offset), checked((int)plan.Length)), aborted);
                return sent;
            }
            return await StreamAsync(body, plan, bytes => sent = bytes, aborted);
        }
        catch (Exception ex) when (aborted.IsCancellationRequested && ex is OperationCanceledException or IOException)
        {
            // The client closed the connection: what it got is what it got.
            return sent;
        }
    }

    /// <summary>
    /// Reads the planned bytes from the store (a positional file read, or an S3 ranged GET) directly into the
    /// response's own buffers (no copy in between) and flushes once per read, which also waits while the client is
    /// slower than the store, so memory stays at one read per download however large the file.
    /// </summary>
    private async Task<long> StreamAsync(PipeWriter body, FileResponsePlan plan, Action<long> progress, CancellationToken aborted)
    {
        await using var source = await storage.OpenRangeAsync(file.Sha256, plan.Offset, plan.Length, aborted);
        var remaining = plan.Length;
        long sent = 0;
        while (remaining > 0 && !aborted.IsCancellationRequested)
        {
            var memory = body.GetMemory((int)Math.Min(ReadSize, remaining));
            if (memory.Length > remaining)
            {
                memory = memory[..(int)remaining];
            }
            var read = await source.ReadAsync(memory, aborted);
            if (read == 0)
            {
                // Shorter in storage than its row says: the response ends short and the connection is closed.
                break;
            }
            body.Advance(read);
            sent += read;
            progress(sent);
            remaining -= read;
            if ((await body.FlushAsync(aborted)).IsCompleted)
            {
                break;
            }
        }
        return sent;
    }
}
