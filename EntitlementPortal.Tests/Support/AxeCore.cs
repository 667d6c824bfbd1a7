using System.Text.Json;
using Microsoft.Playwright;

namespace EntitlementPortal.Tests.Support;

/// <summary>
/// Runs the axe-core accessibility engine (the npm package pinned in EntitlementPortal.Tests/npm, installed by
/// test.sh) inside a page and reports its violations.
/// </summary>
public static class AxeCore
{
    private static readonly Lazy<string> Source = new(() => File.ReadAllText(ScriptPath()));

    /// <summary>Violations of the given impacts ("serious", "critical") on the page as it is now.</summary>
    public static async Task<IReadOnlyList<AxeViolation>> ViolationsAsync(IPage page, params string[] impacts)
    {
        // Evaluated through the DevTools protocol rather than added as a script tag, so the page's CSP (no inline
        // scripts) stays in force and the test sees the page exactly as users get it.
        if (!await page.EvaluateAsync<bool>("() => typeof window.axe === 'object'"))
        {
            await page.EvaluateAsync(Source.Value);
        }
        var json = await page.EvaluateAsync<JsonElement>("""
            async () => {
                const result = await axe.run(document, { resultTypes: ['violations'] });
                return result.violations.map(v => ({
                    id: v.id, impact: v.impact, help: v.help,
                    targets: v.nodes.map(n => n.target.join(' ') + ' :: ' + n.failureSummary.replace(/\s+/g, ' '))
                }));
            }
            """);
        return json.EnumerateArray()
            .Select(v => new AxeViolation(
                v.GetProperty("id").GetString()!,
                v.GetProperty("impact").GetString() ?? "",
                v.GetProperty("help").GetString()!,
                v.GetProperty("targets").EnumerateArray().Select(t => t.GetString()!).ToArray()))
            .Where(v => impacts.Length == 0 || impacts.Contains(v.Impact))
            .ToArray();
    }

    private static string ScriptPath()
    {
        const string relative = "EntitlementPortal.Tests/npm/node_modules/axe-core/axe.min.js";
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            var candidate = Path.Combine(folder.FullName, relative);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        throw new FileNotFoundException(
            $"{relative} is missing: run ./test.sh, or `npm ci --prefix EntitlementPortal.Tests/npm`, to install axe-core.");
    }
}

public sealed record AxeViolation(string Id, string Impact, string Help, IReadOnlyList<string> Targets)
{
    public override string ToString() => $"{Impact} {Id}: {Help}\n    " + string.Join("\n    ", Targets.Take(5));
}
