using Microsoft.Playwright;

namespace EntitlementPortal.Tests.Support;

/// <summary>
/// One headless Debian Chromium (never a downloaded browser) driven by Playwright, shared by the browser
/// tests; each test points it at its own app on real Kestrel. Without Chromium the browser tests are skipped locally but fail under CI=true.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

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
        var page = await context.NewPageAsync();
        // Browser-side errors (a circuit that fails to start, a script 404) go to the test output.
        page.Console += (_, message) =>
        {
            if (message.Type is "error" or "warning")
            {
                TestContext.Current.TestOutputHelper?.WriteLine($"browser {message.Type}: {message.Text}");
            }
        };
        return page;
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
