using System.Net.Http.Json;
using System.Text.Json;
using EntitlementPortal.Tests.Support;
using Microsoft.Playwright;

namespace EntitlementPortal.Tests.Browser;

[Collection(BrowserCollection.Name)]
public sealed class UploadAndDownloadJourneyTests(BrowserFixture browser) : IAsyncDisposable
{
    private readonly ApiAppFactory app = new();
    private IPage? page;

    [Fact]
    public async Task Upload_a_file_in_the_portal_then_download_it_with_the_tokens_copied_url()
    {
        var ct = TestContext.Current.CancellationToken;
        var api = app.CreateApiClient();
        (await api.PostAsJsonAsync("/api/v1/repos", new { slug = "acme", name = "Acme" }, ct)).EnsureSuccessStatusCode();
        var token = await (await api.PostAsJsonAsync("/api/v1/repos/acme/entitlements", new { name = "Acme CI" }, ct))
            .Content.ReadFromJsonAsync<JsonElement>(ct);
        var content = Enumerable.Range(0, 50_000).Select(i => (byte)(i * 7)).ToArray();
        var file = Path.Combine(Path.GetTempPath(), $"acme-agent-{Guid.NewGuid():N}.tar.gz");
        await File.WriteAllBytesAsync(file, content, ct);

        page = await browser.NewPageAsync(app);
        await page.Context.GrantPermissionsAsync(["clipboard-read", "clipboard-write"]);
        await BrowserSession.SignInAsync(page, ApiAppFactory.AdminEmail, ApiAppFactory.AdminPassword);

        await BrowserSession.OpenAsync(page, "/packages?repo=acme", "Packages");
        await page.ClickAsync("#upload-package");
        await page.FillAsync("#upload-name", "acme-agent");
        await page.FillAsync("#upload-version", "2.1.0");
        await page.Locator(".mud-dialog input[type=file]").SetInputFilesAsync(file);
        await page.ClickAsync("#start-upload");
        await page.Locator("#package-table >> text=acme-agent").WaitForAsync();
        await BrowserSession.ScreenshotAsync(page, "packages");

        await BrowserSession.OpenAsync(page, $"/repositories/acme/tokens/{token.GetProperty("id").GetInt32()}", "Acme CI");
        await page.ClickAsync("#snippet-url-copy");
        // The clipboard is the browser's, shared with earlier tests: read it only once this copy has happened.
        await page.GetByText("URL copied to the clipboard.").WaitForAsync();
        // The token page offers the exact file: its URL works as copied, nothing to fill in.
        var url = await page.EvaluateAsync<string>("() => navigator.clipboard.readText()");
        Assert.Equal($"{app.RootUri}dl/{token.GetProperty("token").GetString()}/acme/acme-agent/2.1.0/{Path.GetFileName(file)}", url);

        var download = await page.APIRequest.GetAsync(url);

        Assert.Equal(200, download.Status);
        Assert.Equal(content, await download.BodyAsync());
        File.Delete(file);
        browser.AssertNoCspViolations(page);
    }

    public async ValueTask DisposeAsync()
    {
        if (page is not null)
        {
            await page.Context.CloseAsync();
        }
        await app.DisposeAsync();
    }
}
