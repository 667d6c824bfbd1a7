using EntitlementPortal.Tests.Support;

namespace EntitlementPortal.Tests.Permissions;

/// <summary>docs/permissions.md prints the tested matrix, exactly: the two cannot drift apart.</summary>
public sealed class PermissionsDocumentTests
{
    public const string Start = "<!-- permission-matrix:start -->";
    public const string End = "<!-- permission-matrix:end -->";

    private static readonly string[] Headings =
        ["operation", "API route", "Administrator", "AccountManager", "TokenManager", "repository admin", "write (owner)",
         "write (not owner)", "read", "no access", "anonymous"];

    [Fact]
    public void The_matrix_in_docs_permissions_md_is_the_tested_matrix()
    {
        var path = Path.Combine(PortalProcess.FindSolutionDirectory(AppContext.BaseDirectory), "docs", "permissions.md");
        var text = File.ReadAllText(path).ReplaceLineEndings("\n");
        var from = text.IndexOf(Start, StringComparison.Ordinal);
        var to = text.IndexOf(End, StringComparison.Ordinal);
        Assert.True(from >= 0 && to > from, $"docs/permissions.md has no section between '{Start}' and '{End}'.");

        var documented = text[(from + Start.Length)..to].Trim('\n');

        Assert.Equal(Render(), documented);
    }

    [Fact]
    public void Every_caller_of_the_matrix_has_a_column()
    {
        Assert.Equal(Enum.GetValues<Caller>().Length + 2, Headings.Length);
    }

    /// <summary>The matrix as a Markdown table: "yes", "no" (403; 401 when anonymous) or "404" (the repository stays hidden).</summary>
    public static string Render()
    {
        var lines = new List<string>
        {
            "| " + string.Join(" | ", Headings) + " |",
            "|" + string.Concat(Headings.Select(_ => "---|")),
        };
        foreach (var row in PermissionMatrix.Rows)
        {
            var cells = row.Cells.Select(c => c switch { Expected.Yes => "yes", Expected.Hidden => "404", _ => "no" });
            lines.Add($"| {row.Operation} | `{row.Route}` | {string.Join(" | ", cells)} |");
        }
        return string.Join("\n", lines);
    }
}
