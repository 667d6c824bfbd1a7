using System.Net;

namespace EntitlementPortal.Cli.Commands.Packages;

/// <summary>A file as request content that reports how much of it has been sent, for the progress bar.</summary>
public sealed class ProgressFileContent(FileStream file, Action<long> sent) : HttpContent
{
    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        var buffer = new byte[81920];
        long total = 0;
        int read;
        file.Position = 0;
        while ((read = await file.ReadAsync(buffer, cancellationToken)) > 0)
        {
            await stream.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            total += read;
            sent(total);
        }
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override bool TryComputeLength(out long length)
    {
        length = file.Length;
        return true;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            file.Dispose();
        }
        base.Dispose(disposing);
    }
}

/// <summary>A one-line bar on stderr, redrawn in place; only at a terminal, so logs of scripts stay clean.</summary>
public sealed class ProgressBar(TextWriter error, long total, bool enabled)
{
    private const int Width = 30;
    private int lastPercent = -1;

    public void Report(long sent)
    {
        if (!enabled || total == 0)
        {
            return;
        }
        var percent = (int)(sent * 100 / total);
        if (percent == lastPercent)
        {
            return;
        }
        lastPercent = percent;
        var filled = percent * Width / 100;
        error.Write($"\r[{new string('#', filled)}{new string('.', Width - filled)}] {percent,3}%  {Input.ByteSize.Format(sent)} / {Input.ByteSize.Format(total)}");
        if (sent >= total)
        {
            error.WriteLine();
        }
        error.Flush();
    }
}
