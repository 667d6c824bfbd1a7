using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using EntitlementPortal.Components.Layout;
using EntitlementPortal.Identity;
using EntitlementPortal.Tests.Support;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace EntitlementPortal.Tests.Browser.Accessibility;

/// <summary>
/// One portal with a little of everything (a private repository with a package, a customer, a token that has been
/// used, a team, a member) and one signed-in browser page that the page checks share, so the portal is seeded and the
/// sign-in is paid once for the whole <see cref="PortalPagesCollection"/>. No test saves anything through it; each
/// sets the viewport, theme and address it checks (<see cref="DefaultThemePageAsync"/> for the tests that want the
/// portal's default theme). Values are long on purpose: the phone layout must wrap them, not cut them.
/// </summary>
public sealed class PortalPagesFixture : IAsyncLifetime
{
    private readonly ErrorLog consoleErrors = new();
    private IPage? page;

    public ApiAppFactory App { get; } = new();

    /// <summary>The collection's own Chromium, so that the shared page is closed before the browser is.</summary>
    public BrowserFixture Browser { get; } = new();

    /// <summary>Route template → address with the seeded ids, for every page that takes route parameters.</summary>
    public Dictionary<string, string> Addresses { get; } = new(StringComparer.Ordinal);

    public async ValueTask InitializeAsync()
    {
        await Browser.InitializeAsync();
        var ct = TestContext.Current.CancellationToken;
        var api = App.CreateApiClient();
        (await api.PostAsJsonAsync("/api/v1/repos",
            new { slug = "acme-enterprise-agents", name = "Acme enterprise agents", description = "Agent builds for Acme's servers", visibility = "private" }, ct))
            .EnsureSuccessStatusCode();
        var customer = await (await api.PostAsJsonAsync("/api/v1/customers",
            new { name = "Acme Corporation International", email = "operations@acme-corporation.example", company = "Acme Corporation International Ltd", plan = "Enterprise" }, ct))
            .ReadJsonAsync(HttpStatusCode.Created);
        var customerId = customer.GetProperty("id").GetInt32();
        // A second customer, so that sorting the list by name visibly changes its order.
        (await api.PostAsJsonAsync("/api/v1/customers", new { name = "Zenith Robotics", company = "Zenith Robotics GmbH" }, ct)).EnsureSuccessStatusCode();
        var token = await (await api.PostAsJsonAsync("/api/v1/repos/acme-enterprise-agents/entitlements",
            new { name = "API token for Acme continuous integration", customerId, limitDownloads = 100, limitPackageQuery = "name:acme-agent AND version:>=2.0" }, ct))
            .ReadJsonAsync(HttpStatusCode.Created);
        var package = await UploadAsync(api, ct);
        var download = await api.GetAsync(
            $"/dl/{token.GetProperty("token").GetString()}/acme-enterprise-agents/acme-agent/2.1.0/acme-agent-2.1.0.tar.gz", ct);
        download.EnsureSuccessStatusCode();
        (await api.PostAsJsonAsync("/api/v1/teams", new { slug = "release-engineering", name = "Release engineering" }, ct)).EnsureSuccessStatusCode();
        var member = await (await api.PostAsJsonAsync("/api/v1/users",
            new { email = "carol.longname@acme-corporation.example", name = "Carol Longname", password = "Us3r-password!" }, ct))
            .ReadJsonAsync(HttpStatusCode.Created);
        (await api.PutAsJsonAsync($"/api/v1/repos/acme-enterprise-agents/privileges/users/{member.GetProperty("id").GetString()}",
            new { privilege = "read" }, ct)).EnsureSuccessStatusCode();

        var webhook = await (await api.PostAsJsonAsync("/api/v1/webhooks", new
        {
            url = "https://93.184.216.34/hooks/entitlement-portal/billing-system-with-a-long-path",
            events = new[] { "token.created", "token.disabled", "customer.revoked", "package.created" },
            secret = "billing-receiver-secret-0123",
            repo = "acme-enterprise-agents",
        }, ct)).ReadJsonAsync(HttpStatusCode.Created);
        (await api.PostAsync($"/api/v1/webhooks/{webhook.GetProperty("id").GetInt32()}/test", null, ct)).EnsureSuccessStatusCode();

        await GiveTheAdministratorAnAuthenticatorKeyAsync();

        Addresses["/customers/{Id:int}"] = $"/customers/{customerId}";
        Addresses["/webhooks/{Id:int}"] = $"/webhooks/{webhook.GetProperty("id").GetInt32()}";
        Addresses["/repositories/{Slug}"] = "/repositories/acme-enterprise-agents";
        Addresses["/repositories/{Repo}/tokens/{Id:int}"] = $"/repositories/acme-enterprise-agents/tokens/{token.GetProperty("id").GetInt32()}";
        Addresses["/repositories/{Repo}/packages/{Id:int}"] = $"/repositories/acme-enterprise-agents/packages/{package.GetProperty("id").GetInt32()}";
    }

    /// <summary>The administrator's page, signed in on first use; console errors are collected for <see cref="TakeConsoleErrors"/>.</summary>
    public async Task<IPage> SignedInPageAsync()
    {
        if (page is not null)
        {
            return page;
        }
        page = await Browser.NewPageAsync(App);
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                consoleErrors.Add(message.Text);
            }
        };
        page.PageError += (_, error) => consoleErrors.Add(error);
        await BrowserSession.SignInAsync(page, ApiAppFactory.AdminEmail, ApiAppFactory.AdminPassword);
        return page;
    }

    /// <summary>
    /// The shared page without the theme cookie another test may have left, as a fresh sign-in has it; in the size
    /// Playwright gives a new page, for a test that does not set its own.
    /// </summary>
    public async Task<IPage> DefaultThemePageAsync()
    {
        var shared = await SignedInPageAsync();
        await shared.Context.ClearCookiesAsync(new() { Name = ThemeChoice.CookieName });
        await shared.SetViewportSizeAsync(1280, 720);
        return shared;
    }

    public IReadOnlyList<string> TakeConsoleErrors() => consoleErrors.Take();

    /// <summary>
    /// The authenticator page makes a key on first sight, which changes the security stamp and so (rightly) ends the
    /// account's other sessions, the shared page's among them; a key made before the sign-in keeps the page a page.
    /// </summary>
    private async Task GiveTheAdministratorAnAuthenticatorKeyAsync()
    {
        using var scope = App.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var admin = await users.FindByEmailAsync(ApiAppFactory.AdminEmail);
        Assert.NotNull(admin);
        Assert.True((await users.ResetAuthenticatorKeyAsync(admin)).Succeeded);
    }

    private static async Task<JsonElement> UploadAsync(HttpClient api, CancellationToken ct)
    {
        using var form = new MultipartFormDataContent
        {
            { new StringContent("acme-agent"), "name" },
            { new StringContent("2.1.0"), "version" },
            { new StringContent("stable"), "tags" },
        };
        var file = new ByteArrayContent(Enumerable.Range(0, 4096).Select(i => (byte)i).ToArray());
        file.Headers.ContentType = new MediaTypeHeaderValue("application/gzip");
        form.Add(file, "file", "acme-agent-2.1.0.tar.gz");
        return await (await api.PostAsync("/api/v1/repos/acme-enterprise-agents/packages", form, ct)).ReadJsonAsync(HttpStatusCode.Created);
    }

    public async ValueTask DisposeAsync()
    {
        if (page is not null)
        {
            await page.Context.CloseAsync();
        }
        await App.DisposeAsync();
        await Browser.DisposeAsync();
    }

    /// <summary>Browser events arrive on Playwright's threads; the test reads them between navigations.</summary>
    private sealed class ErrorLog
    {
        private readonly Lock gate = new();
        private readonly List<string> items = [];

        public void Add(string item)
        {
            lock (gate)
            {
                items.Add(item);
            }
        }

        public IReadOnlyList<string> Take()
        {
            lock (gate)
            {
                var taken = items.ToArray();
                items.Clear();
                return taken;
            }
        }
    }
}

/// <summary>
/// The page checks: one seeded portal and one signed-in page for all of them, in a collection of their own so that
/// they run beside the other browser journeys (each collection drives its own Chromium).
/// </summary>
[CollectionDefinition(Name)]
public sealed class PortalPagesCollection : ICollectionFixture<PortalPagesFixture>
{
    public const string Name = "Portal pages";
}
