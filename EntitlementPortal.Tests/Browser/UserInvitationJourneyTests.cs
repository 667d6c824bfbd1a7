using EntitlementPortal.Tests.Support;
using Microsoft.Playwright;

namespace EntitlementPortal.Tests.Browser;

[Collection(BrowserCollection.Name)]
public sealed class UserInvitationJourneyTests(BrowserFixture browser) : IAsyncDisposable
{
    private const string Email = "newcomer@example.com";
    private const string Password = "N3wcomer-secret!";
    private readonly ApiAppFactory app = new();

    [Fact]
    public async Task An_administrator_adds_a_user_without_a_password_who_sets_one_with_the_copied_link_and_signs_in()
    {
        var admin = await browser.NewPageAsync(app);
        await admin.Context.GrantPermissionsAsync(["clipboard-read", "clipboard-write"]);
        await BrowserSession.SignInAsync(admin, ApiAppFactory.AdminEmail, ApiAppFactory.AdminPassword);

        await BrowserSession.OpenAsync(admin, "/users", "Users");
        await admin.ClickAsync("#new-user");
        await admin.FillAsync("#user-email", Email);
        await admin.FillAsync("#user-name", "New Comer");
        await admin.GetByText("TokenManager —").ClickAsync();
        await admin.ClickAsync("#save-user");
        await admin.Locator("#users-table >> text=" + Email).WaitForAsync();
        await admin.ClickAsync("#copy-set-password-link");
        await admin.Locator("text=Link copied").WaitForAsync();
        var link = await admin.EvaluateAsync<string>("() => navigator.clipboard.readText()");
        Assert.Equal(await admin.InputValueAsync("#set-password-link"), link);
        await BrowserSession.ScreenshotAsync(admin, "user-added");

        // The newcomer's own browser: no cookie of the administrator's.
        var newcomer = await browser.NewPageAsync(app);
        await newcomer.GotoAsync(link);
        await newcomer.Locator("h1:has-text('Choose your password')").WaitForAsync();
        Assert.Equal(Email, await newcomer.InnerTextAsync("#set-password-email"));
        await newcomer.FillAsync("#Input\\.Password", Password);
        await newcomer.FillAsync("#Input\\.ConfirmPassword", Password);
        await newcomer.ClickAsync("#set-password");
        await newcomer.Locator("#password-set").WaitForAsync();
        await newcomer.ClickAsync("#sign-in-link");
        await newcomer.Locator("h1:has-text('Sign in')").WaitForAsync();
        await newcomer.FillAsync("#Input\\.Email", Email);
        await newcomer.FillAsync("#Input\\.Password", Password);
        await newcomer.ClickAsync("#sign-in");
        await BrowserSession.WaitForInteractiveAsync(newcomer);
        await newcomer.Locator("h1:has-text('Dashboard')").WaitForAsync();
        Assert.Contains(Email, await newcomer.Locator("#welcome").InnerTextAsync());

        // The link is spent.
        await newcomer.GotoAsync(link);
        await newcomer.Locator("#link-refused").WaitForAsync();
    }

    public ValueTask DisposeAsync() => app.DisposeAsync();
}
