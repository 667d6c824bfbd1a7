using System.Text.RegularExpressions;
using EntitlementPortal.Tests.Support;

namespace EntitlementPortal.Tests.Architecture;

/// <summary>Source rules the compiler does not check: one class, one job, in one file.</summary>
public sealed partial class ServiceShapeTests
{
    [Fact]
    public void No_class_is_split_over_partial_files_outside_components_and_generated_regexes()
    {
        var source = Path.Combine(PortalProcess.FindSolutionDirectory(AppContext.BaseDirectory), "EntitlementPortal");
        var offenders = Directory.EnumerateFiles(source, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}")
                && !f.Contains($"{Path.DirectorySeparatorChar}Migrations{Path.DirectorySeparatorChar}")
                && !f.EndsWith(".razor.cs", StringComparison.Ordinal)
                && Path.GetFileName(f) != "Program.cs")
            .Where(f =>
            {
                var text = File.ReadAllText(f);
                // A partial type is allowed only where a source generator needs it ([GeneratedRegex]).
                return PartialType().IsMatch(text) && !text.Contains("[GeneratedRegex(", StringComparison.Ordinal);
            })
            .Select(f => Path.GetRelativePath(source, f))
            .ToList();

        Assert.Empty(offenders);
    }

    [GeneratedRegex(@"\bpartial\s+(class|record|struct)\b")]
    private static partial Regex PartialType();
}
