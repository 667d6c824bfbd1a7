namespace EntitlementPortal.Cli.Output;

/// <summary>Columns padded to their widest cell; an empty list says so instead of printing a bare header.</summary>
public sealed class TextTable(params string[] headers)
{
    private readonly List<string[]> rows = [];

    public TextTable Add(params string?[] cells)
    {
        rows.Add(cells.Select(c => string.IsNullOrEmpty(c) ? "-" : c.ReplaceLineEndings(" ")).ToArray());
        return this;
    }

    public void Write(TextWriter output)
    {
        var widths = headers.Select((h, i) => Math.Max(h.Length, rows.Count == 0 ? 0 : rows.Max(r => r[i].Length))).ToArray();
        WriteRow(output, headers, widths);
        foreach (var row in rows)
        {
            WriteRow(output, row, widths);
        }
    }

    private static void WriteRow(TextWriter output, string[] cells, int[] widths) =>
        output.WriteLine(string.Join("  ", cells.Select((c, i) => i == cells.Length - 1 ? c : c.PadRight(widths[i]))).TrimEnd());
}

/// <summary>One record as "field  value" lines, for show commands.</summary>
public sealed class DetailsTable
{
    private readonly List<(string Field, string Value)> lines = [];

    public DetailsTable Add(string field, string? value)
    {
        lines.Add((field, string.IsNullOrEmpty(value) ? "-" : value.ReplaceLineEndings(" ")));
        return this;
    }

    public void Write(TextWriter output)
    {
        var width = lines.Max(l => l.Field.Length);
        foreach (var (field, value) in lines)
        {
            output.WriteLine($"{field.PadRight(width)}  {value}");
        }
    }
}
