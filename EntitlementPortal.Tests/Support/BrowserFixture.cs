using System.Collections.Concurrent;
using Microsoft.Playwright;

namespace EntitlementPortal.Tests.Support;

/// <summary>
/// One headless Debian Chromium (never a downloaded browser) driven by Playwright, shared by the browser
/// tests; each test points it at its own app on real Kestrel. Without Chromium the browser tests are skipped locally but fail under CI=true.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private readonly ConcurrentDictionary<IPage, ConcurrentQueue<string>> cspViolations = new();

    private IPlaywright? playwright;

    public IBrowser? Browser { get; private set; }

    public async ValueTask InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            return;
        }
        playwright = await Playwright.CreateAsync();
        Browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
            ],
        });
    }

    public IBrowser RequireBrowser()
    {
        if (Browser is not null)
        {
            return Browser;
        }
        var message = $"{ChromiumPath} is missing: run ./test.sh as root to install Debian's chromium.";
        if (Environment.GetEnvironmentVariable("CI") == "true")
        {
            Assert.Fail(message);
        }
        Assert.Skip(message);
        return null!;
    }

    public async Task<IPage> NewPageAsync(KestrelPortalFactory app)
    {
        var context = await RequireBrowser().NewContextAsync(new BrowserNewContextOptions { BaseURL = app.RootUri.ToString() });
        context.SetDefaultTimeout(30_000);
        var violations = new ConcurrentQueue<string>();
        // Every Content-Security-Policy violation in any document of the page, as the browser reports it to the page.
        await context.ExposeFunctionAsync("__portalCspViolation", (string text) => violations.Enqueue(text));
        await context.AddInitScriptAsync("""
            document.addEventListener('securitypolicyviolation', e => window.__portalCspViolation(
                `${e.effectiveDirective} blocked ${e.blockedURI || 'inline'} in ${e.documentURI} (${e.sourceFile}:${e.lineNumber})`));
            """);
        var page = await context.NewPageAsync();
        cspViolations[page] = violations;
        // Browser-side errors (a circuit that fails to start, a script 404) go to the test output.
        page.Console += (_, message) =>
        {
            if (message.Type is "error" or "warning")
            {
                TestContext.Current.TestOutputHelper?.WriteLine($"browser {message.Type}: {message.Text}");
            }
            // Also catches what the event cannot: violations inside workers.
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase))
            {
                violations.Enqueue(message.Text);
            }
        };
        return page;
    }

    /// <summary>
    /// Fails when the Content-Security-Policy blocked anything on this page so far, except reports that
    /// <paramref name="expected"/> names (a library's feature probe that handles the refusal itself).
    /// </summary>
    public void AssertNoCspViolations(IPage page, Func<string, bool>? expected = null)
    {
        var seen = cspViolations[page].Where(v => expected is null || !expected(v)).ToArray();
        Assert.True(seen.Length == 0, "Content-Security-Policy violations:\n" + string.Join("\n", seen.Distinct()));
    }

    public async ValueTask DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }
        playwright?.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "Browser";
}
