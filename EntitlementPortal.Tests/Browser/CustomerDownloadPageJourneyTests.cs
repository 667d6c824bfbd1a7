using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using EntitlementPortal.Tests.Support;
using Microsoft.Playwright;

namespace EntitlementPortal.Tests.Browser;

/// <summary>
/// A customer with nothing but their link: opens it in a browser, reads and accepts the licence agreement, and
/// downloads the file. No portal account, no script on the page.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class CustomerDownloadPageJourneyTests(BrowserFixture browser) : IAsyncDisposable
{
    private readonly ApiAppFactory app = new();
    private IPage? page;

    [Fact]
    public async Task Customer_opens_their_link_accepts_the_eula_and_downloads_the_file()
    {
        var ct = TestContext.Current.CancellationToken;
        using var api = app.CreateApiClient();
        (await api.PostAsJsonAsync("/api/v1/repos", new { slug = "acme", name = "Acme Agent", eula = "Use on your own machines only." }, ct))
            .EnsureSuccessStatusCode();
        var content = Enumerable.Range(0, 30_000).Select(i => (byte)(i * 7)).ToArray();
        using (var form = new MultipartFormDataContent { { new StringContent("acme-agent"), "name" }, { new StringContent("2.1.0"), "version" } })
        {
            var file = new ByteArrayContent(content);
            file.Headers.ContentType = new MediaTypeHeaderValue("application/gzip");
            form.Add(file, "file", "acme-agent-2.1.0.tar.gz");
            (await api.PostAsync("/api/v1/repos/acme/packages", form, ct)).EnsureSuccessStatusCode();
        }
        var created = await (await api.PostAsJsonAsync("/api/v1/repos/acme/entitlements",
            new { name = "Globex", eulaRequired = true, limitDownloads = 5 }, ct)).ReadJsonAsync(HttpStatusCode.Created);
        var token = created.GetProperty("token").GetString()!;
        var id = created.GetProperty("id").GetInt32();

        page = await browser.NewPageAsync(app);
        await page.GotoAsync($"/dl/{token}/acme/");
        await page.Locator("#eula-text").WaitForAsync();
        Assert.Equal("Acme Agent", (await page.InnerTextAsync("#repository")).Trim());
        Assert.Contains("0 of 5", await page.InnerTextAsync("#usage-downloads"));
        Assert.Equal(0, await page.Locator("a.button").CountAsync());
        await BrowserSession.ScreenshotAsync(page, "customer-page-eula");

        await page.ClickAsync("#eula-accept");
        await page.Locator("#eula-accepted").WaitForAsync();
        var download = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("a.button"));
        var saved = Path.Combine(Path.GetTempPath(), $"customer-page-{Guid.NewGuid():N}");
        await download.SaveAsAsync(saved);
        try
        {
            Assert.Equal("acme-agent-2.1.0.tar.gz", download.SuggestedFilename);
            Assert.Equal(content, await File.ReadAllBytesAsync(saved, ct));
        }
        finally
        {
            File.Delete(saved);
        }

        var view = await (await api.GetAsync($"/api/v1/repos/acme/entitlements/{id}", ct)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(1, view.GetProperty("downloads").GetInt64());
        Assert.NotEqual(System.Text.Json.JsonValueKind.Null, view.GetProperty("eulaAcceptedAt").ValueKind);
        await page.ReloadAsync();
        Assert.Contains("1 of 5", await page.InnerTextAsync("#usage-downloads"));
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
