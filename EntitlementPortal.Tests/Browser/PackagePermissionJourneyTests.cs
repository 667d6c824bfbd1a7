using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using EntitlementPortal.Identity;
using EntitlementPortal.Tests.Support;
using Microsoft.Playwright;

namespace EntitlementPortal.Tests.Browser;

/// <summary>
/// The token bot may not touch packages: a TokenManager sees no upload or delete button (while it does see the
/// token buttons), and the API refuses its upload. A writer, side by side, does see the upload button.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class PackagePermissionJourneyTests(BrowserFixture browser) : IAsyncDisposable
{
    private const string Password = "Us3r-password!";
    private readonly ApiAppFactory app = new();
    private readonly List<IPage> pages = [];

    [Fact]
    public async Task A_token_manager_sees_no_upload_or_delete_button_and_the_api_refuses_its_upload_while_a_writer_may_upload()
    {
        var ct = TestContext.Current.CancellationToken;
        var api = app.CreateApiClient();
        (await api.PostAsJsonAsync("/api/v1/repos", new { slug = "acme", name = "Acme" }, ct)).EnsureSuccessStatusCode();
        var package = await (await api.PostAsync("/api/v1/repos/acme/packages", Form("acme-agent", "1.0"), ct)).ReadJsonAsync(HttpStatusCode.Created);
        var botKey = await app.CreateUserWithKeyAsync("bot@example.com", Roles.TokenManager);
        await app.CreateUserWithKeyAsync("writer@example.com");
        (await api.PutAsJsonAsync("/api/v1/repos/acme/privileges/users/writer@example.com", new { privilege = "write" }, ct)).EnsureSuccessStatusCode();

        var bot = await SignedInAsync("bot@example.com");
        await BrowserSession.OpenAsync(bot, "/repositories/acme", "Acme");
        await bot.Locator("#new-token").WaitForAsync();
        await BrowserSession.OpenAsync(bot, $"/repositories/acme/packages/{package.GetProperty("id").GetInt32()}", "acme-agent 1.0");
        await bot.Locator("#package-uploader-value").WaitForAsync();
        Assert.Equal(0, await bot.Locator("#delete-package").CountAsync());

        var writer = await SignedInAsync("writer@example.com");
        await BrowserSession.OpenAsync(writer, "/packages?repo=acme", "Packages");
        await writer.Locator("#upload-package").WaitForAsync();
        // The bot's packages page has finished the same work once its list shows the package.
        await BrowserSession.OpenAsync(bot, "/packages?repo=acme", "Packages");
        await bot.Locator("#package-table >> text=acme-agent").WaitForAsync();
        Assert.Equal(0, await bot.Locator("#upload-package").CountAsync());

        var refused = await app.CreateApiClient(botKey).PostAsync("/api/v1/repos/acme/packages", Form("acme-agent", "2.0"), ct);
        var problem = await refused.AssertProblemAsync(403);
        Assert.Contains("Upload a package in 'acme'", problem.GetProperty("detail").GetString());
        var list = await (await api.GetAsync("/api/v1/repos/acme/packages", ct)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(1, list.GetProperty("total").GetInt32());
        browser.AssertNoCspViolations(bot);
    }

    private async Task<IPage> SignedInAsync(string email)
    {
        var page = await browser.NewPageAsync(app);
        pages.Add(page);
        await BrowserSession.SignInAsync(page, email, Password);
        return page;
    }

    private static MultipartFormDataContent Form(string name, string version) => new()
    {
        { new StringContent(name), "name" },
        { new StringContent(version), "version" },
        { new ByteArrayContent(Encoding.UTF8.GetBytes($"{name} {version}")), "file", $"{name}-{version}.tar.gz" },
    };

    public async ValueTask DisposeAsync()
    {
        foreach (var page in pages)
        {
            await page.Context.CloseAsync();
        }
        await app.DisposeAsync();
    }
}
