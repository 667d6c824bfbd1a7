using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using EntitlementPortal.Features.Tokens;
using EntitlementPortal.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace EntitlementPortal.Tests.Browser;

[Collection(BrowserCollection.Name)]
public sealed class UserTokenJourneyTests(BrowserFixture browser) : IAsyncDisposable
{
    private const string Password = "Member-passw0rd!";
    private readonly ApiAppFactory app = new();
    private IPage? page;

    [Fact]
    public async Task Member_opens_the_repository_sees_only_their_own_user_token_and_downloads_with_its_copied_url()
    {
        var ct = TestContext.Current.CancellationToken;
        using var api = app.CreateApiClient();
        (await api.PostAsJsonAsync("/api/v1/repos", new { slug = "acme", name = "Acme" }, ct)).EnsureSuccessStatusCode();
        var content = Enumerable.Range(0, 20_000).Select(i => (byte)(i * 13)).ToArray();
        await UploadAsync(api, content, ct);
        var bob = await MemberAsync(api, "bob@example.com", ct);
        var carol = await MemberAsync(api, "carol@example.com", ct);
        // Carol already has her user token; Bob must never see it.
        var carolsKey = await (await api.PostAsJsonAsync($"/api/v1/users/{carol}/api-keys", new { name = "carol" }, ct)).ReadJsonAsync(HttpStatusCode.Created);
        using var carolsApi = app.CreateApiClient(carolsKey.GetProperty("key").GetString());
        var carolsToken = await (await carolsApi.GetAsync("/api/v1/repos/acme/user-token", ct)).ReadJsonAsync(HttpStatusCode.OK);

        page = await browser.NewPageAsync(app);
        await page.Context.GrantPermissionsAsync(["clipboard-read", "clipboard-write"]);
        await BrowserSession.SignInAsync(page, "bob@example.com", Password);
        await BrowserSession.OpenAsync(page, "/repositories/acme", "Acme");
        await page.Locator("#user-token-acme").WaitForAsync();
        await BrowserSession.ScreenshotAsync(page, "user-token");

        Assert.DoesNotContain(carolsToken.GetProperty("token").GetString()!, await page.ContentAsync());
        Assert.Equal(0, await page.Locator("#members-user-tokens").CountAsync());
        await page.ClickAsync("#user-token-acme-snippet-index-copy");
        // The copy runs on the server's circuit and then in the page: read the clipboard only once it says it copied.
        await page.GetByText("Download page copied to the clipboard.").WaitForAsync();
        var indexUrl = await page.EvaluateAsync<string>("() => navigator.clipboard.readText()");
        Assert.Matches(@"/dl/ent_[A-Za-z0-9]+/acme/$", indexUrl);

        using var http = new HttpClient();
        var index = await http.GetFromJsonAsync<JsonElement>(indexUrl, ct);
        var file = Assert.Single(index.EnumerateArray());
        var download = await http.GetAsync(new Uri(new Uri(indexUrl), file.GetProperty("url").GetString()), ct);

        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal(content, await download.Content.ReadAsByteArrayAsync(ct));
        var secret = new Uri(indexUrl).Segments[2].TrimEnd('/');
        var digest = app.Services.GetRequiredService<TokenSecretProtector>().Digest(secret);
        Assert.Equal(bob, await app.WithDbAsync(db => db.Set<EntitlementToken>().Where(t => t.SecretDigest == digest)
            .Select(t => t.UserId).SingleAsync(ct)));
        browser.AssertNoCspViolations(page);
    }

    private static async Task UploadAsync(HttpClient api, byte[] content, CancellationToken ct)
    {
        using var form = new MultipartFormDataContent
        {
            { new StringContent("acme-agent"), "name" },
            { new StringContent("2.1.0"), "version" },
        };
        var file = new ByteArrayContent(content);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/gzip");
        form.Add(file, "file", "acme-agent-2.1.0.tar.gz");
        (await api.PostAsync("/api/v1/repos/acme/packages", form, ct)).EnsureSuccessStatusCode();
    }

    /// <summary>A user made by the administrator, with a password and read on acme, as an administrator would set it up.</summary>
    private static async Task<string> MemberAsync(HttpClient api, string email, CancellationToken ct)
    {
        var created = await (await api.PostAsJsonAsync("/api/v1/users", new { email, password = Password }, ct)).ReadJsonAsync(HttpStatusCode.Created);
        var id = created.GetProperty("id").GetString()!;
        (await api.PutAsJsonAsync($"/api/v1/repos/acme/privileges/users/{id}", new { privilege = "read" }, ct)).EnsureSuccessStatusCode();
        return id;
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
