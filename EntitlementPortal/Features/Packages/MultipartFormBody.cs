using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace EntitlementPortal.Features.Packages;

/// <summary>
/// A streamed multipart/form-data request body, read section by section. A body that breaks the format (cut off,
/// no final boundary, part headers over 16 KB, garbage) is the client's fault: <see cref="MultipartReader"/> reports
/// it as <see cref="IOException"/> or <see cref="InvalidDataException"/>, which would otherwise answer 500, so every
/// read through this class turns them into a 400 <see cref="BadHttpRequestException"/>. Only reads of the request
/// are translated: an I/O error writing the blob store stays a server error.
/// </summary>
public sealed class MultipartFormBody(string boundary, Stream body)
{
    // RFC 2046 allows 70 characters; a little room for lenient clients, but not an unbounded header value.
    private const int MaxBoundaryLength = 200;

    private readonly MultipartReader reader = new(boundary, body);

    /// <summary>The boundary of a multipart/form-data content type; null when the type is something else.</summary>
    /// <exception cref="BadHttpRequestException">multipart/form-data without a usable boundary (400).</exception>
    public static string? BoundaryOf(string? contentType)
    {
        if (!MediaTypeHeaderValue.TryParse(contentType, out var media)
            || !media.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        var boundary = HeaderUtilities.RemoveQuotes(media.Boundary).Value;
        return string.IsNullOrWhiteSpace(boundary) || boundary.Length > MaxBoundaryLength
            ? throw new BadHttpRequestException(
                $"The Content-Type multipart/form-data needs a boundary parameter of 1 to {MaxBoundaryLength} characters.",
                StatusCodes.Status400BadRequest)
            : boundary;
    }

    /// <summary>The next part, or null after the final boundary; its <see cref="Section.Body"/> is translated too.</summary>
    public async Task<Section?> ReadNextSectionAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await reader.ReadNextSectionAsync(cancellationToken) is { } section ? new Section(section) : null;
        }
        catch (Exception ex) when (IsMalformed(ex))
        {
            throw Malformed(ex);
        }
    }

    private static bool IsMalformed(Exception exception) =>
        // BadHttpRequestException is an IOException too, with its own status (413 over the body limit): keep it.
        exception is InvalidDataException or (IOException and not BadHttpRequestException);

    private static BadHttpRequestException Malformed(Exception exception) => new(
        exception is InvalidDataException
            ? $"The multipart/form-data body is malformed: {exception.Message}"
            : "The multipart/form-data body ended before its final boundary; send the complete body.",
        StatusCodes.Status400BadRequest, exception);

    /// <summary>One part: its headers and a body stream that reports a malformed request as 400.</summary>
    public sealed class Section(MultipartSection section)
    {
        public string? ContentDisposition => section.ContentDisposition;

        public string? ContentType => section.ContentType;

        public Stream Body { get; } = new TranslatingStream(section.Body);
    }

    private sealed class TranslatingStream(Stream inner) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            try
            {
                return inner.Read(buffer, offset, count);
            }
            catch (Exception ex) when (IsMalformed(ex))
            {
                throw Malformed(ex);
            }
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            try
            {
                return await inner.ReadAsync(buffer, cancellationToken);
            }
            catch (Exception ex) when (IsMalformed(ex))
            {
                throw Malformed(ex);
            }
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
