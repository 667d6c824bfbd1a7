using System.Globalization;
using System.Text;
using System.Text.Json;

namespace EntitlementPortal.Features.Downloads;

/// <summary>
/// The history as CSV (RFC 4180, CRLF), one row written as each is read. A cell that a spreadsheet would take as a
/// formula (starting with =, +, -, @, tab or CR) gets a leading apostrophe: user agents and file names are chosen by
/// whoever downloads, and an export must not run their formulas on the vendor's machine.
/// </summary>
public static class DownloadCsv
{
    public const string Header = "at,repo,package,version,filename,tokenId,tokenName,customerId,customerName,userId,authMethod,clientIp,userAgent,status,bytes,reason";

    public static async Task WriteAsync(Stream output, IAsyncEnumerable<DownloadEventView> rows, CancellationToken cancellationToken)
    {
        // Async writes only (Kestrel refuses synchronous ones); the writer's buffer is all that is held in memory.
        await using var writer = new StreamWriter(output, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), bufferSize: 16 * 1024, leaveOpen: true);
        await writer.WriteAsync(Header.AsMemory(), cancellationToken);
        await writer.WriteAsync("\r\n".AsMemory(), cancellationToken);
        await foreach (var row in rows.WithCancellation(cancellationToken))
        {
            await writer.WriteAsync(Line(row).AsMemory(), cancellationToken);
        }
        await writer.FlushAsync(cancellationToken);
    }

    public static string Line(DownloadEventView e)
    {
        var line = new StringBuilder(256);
        string?[] cells =
        [
            e.At.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture), e.Repo, e.Package, e.Version, e.Filename,
            Number(e.TokenId), e.TokenName, Number(e.CustomerId), e.CustomerName, e.UserId,
            JsonNamingPolicy.CamelCase.ConvertName(e.AuthMethod.ToString()), e.ClientIp, e.UserAgent,
            Number(e.Status), Number(e.Bytes), e.Reason,
        ];
        for (var i = 0; i < cells.Length; i++)
        {
            if (i > 0)
            {
                line.Append(',');
            }
            line.Append(Cell(cells[i]));
        }
        return line.Append("\r\n").ToString();
    }

    public static string Cell(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "";
        }
        if (value[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
        {
            value = "'" + value;
        }
        return value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }

    private static string? Number(long? value) => value?.ToString(CultureInfo.InvariantCulture);
}
