using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EntitlementPortal.Components.Layout;
using EntitlementPortal.Tests.Support;
using Microsoft.AspNetCore.Mvc.Testing;

namespace EntitlementPortal.Tests.Layout;

/// <summary>
/// <c>GET /theme/{choice}</c> over real HTTP: it stores the choice in the theme cookie and sends the browser back to a
/// path of the portal, never to another site; the pages the server renders next are in that theme from the start.
/// </summary>
public sealed class ThemeChoiceEndpointTests(PortalAppFactory app) : IClassFixture<PortalAppFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Choosing_dark_sets_a_lasting_site_wide_cookie_and_returns_to_the_page()
    {
        var client = app.CreatePortalClient();

        var response = await client.GetAsync("/theme/dark?returnUrl=" + Uri.EscapeDataString("Account/Login?ReturnUrl=%2Fcustomers"), Ct);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/Account/Login?ReturnUrl=%2Fcustomers", response.Headers.Location!.OriginalString);
        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"));
        Assert.StartsWith("portal-theme=dark;", cookie, StringComparison.Ordinal);
        Assert.Contains("path=/", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("max-age=31536000", cookie, StringComparison.OrdinalIgnoreCase);
        // Plain HTTP (a test server, a proxy that does not say it terminated TLS): a Secure cookie would be dropped.
        Assert.DoesNotContain("secure", cookie, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Over_https_the_cookie_is_secure()
    {
        var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, BaseAddress = new Uri("https://localhost") });

        var response = await client.GetAsync("/theme/light", Ct);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"));
        Assert.StartsWith("portal-theme=light;", cookie, StringComparison.Ordinal);
        Assert.Contains("secure", cookie, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("//evil.example")]
    [InlineData("https://evil.example")]
    [InlineData("/\\evil.example")]
    [InlineData("javascript:alert(1)")]
    [InlineData("%2F%2Fevil.example")]
    public async Task A_missing_or_foreign_return_url_goes_to_the_start_page(string? returnUrl)
    {
        var client = app.CreatePortalClient();

        var response = await client.GetAsync(returnUrl is null ? "/theme/dark" : "/theme/dark?returnUrl=" + Uri.EscapeDataString(returnUrl), Ct);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/", response.Headers.Location!.OriginalString);
        Assert.StartsWith("portal-theme=dark;", Assert.Single(response.Headers.GetValues("Set-Cookie")), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("blue")]
    [InlineData("DARK")]
    public async Task An_unknown_theme_is_a_bad_request_and_stores_nothing(string choice)
    {
        var client = app.CreatePortalClient();

        var response = await client.GetAsync($"/theme/{choice}?returnUrl=customers", Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal("The theme must be 'dark' or 'light'.", problem.GetProperty("detail").GetString());
        Assert.False(response.Headers.Contains("Set-Cookie"));
    }

    [Fact]
    public async Task A_static_account_page_is_rendered_dark_once_dark_is_chosen_and_links_back_to_light()
    {
        var client = app.CreatePortalClient();
        var light = await client.GetStringAsync("/Account/Login", Ct);

        await client.GetAsync("/theme/dark?returnUrl=Account%2FLogin", Ct);
        var dark = await client.GetStringAsync("/Account/Login", Ct);

        Assert.Contains(PaletteBackground(PortalTheme.Theme.PaletteLight), light, StringComparison.Ordinal);
        Assert.Contains("href=\"theme/dark?returnUrl=Account%2FLogin\"", light, StringComparison.Ordinal);
        Assert.Contains(PaletteBackground(PortalTheme.Theme.PaletteDark), dark, StringComparison.Ordinal);
        Assert.DoesNotContain(PaletteBackground(PortalTheme.Theme.PaletteLight), dark, StringComparison.Ordinal);
        Assert.Contains("href=\"theme/light?returnUrl=Account%2FLogin\"", dark, StringComparison.Ordinal);
        Assert.Contains("aria-label=\"Switch to light mode\"", dark, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_cookie_with_any_other_value_renders_the_light_theme()
    {
        var client = app.CreatePortalClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/Account/Login");
        request.Headers.Add("Cookie", $"{ThemeChoice.CookieName}=purple");

        var page = await (await client.SendAsync(request, Ct)).Content.ReadAsStringAsync(Ct);

        Assert.Contains(PaletteBackground(PortalTheme.Theme.PaletteLight), page, StringComparison.Ordinal);
        Assert.Contains("aria-label=\"Switch to dark mode\"", page, StringComparison.Ordinal);
    }

    /// <summary>The CSS variable MudBlazor's theme style element sets for the page background of a palette.</summary>
    private static string PaletteBackground(MudBlazor.Palette palette) => $"--mud-palette-background: {palette.Background}";
}
