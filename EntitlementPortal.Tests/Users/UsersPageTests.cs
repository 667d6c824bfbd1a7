using Bunit;
using EntitlementPortal.Data;
using EntitlementPortal.Features.Users;
using EntitlementPortal.Identity;
using EntitlementPortal.Tests.Support;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace EntitlementPortal.Tests.Users;

public sealed class UsersPageTests : PortalComponentTest
{
    private const string Me = "ada@example.com";

    public UsersPageTests() : base(withDatabase: true)
    {
        SignIn(Me, Roles.Administrator);
    }

    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    [Fact]
    public async Task Lists_people_with_roles_and_status_and_never_offers_locking_or_removing_yourself()
    {
        await SeedAsync();
        await Services.GetRequiredService<UserAdministration>().CreateAsync(TestDatabase.Administrator,
            new NewUserInput { Email = "bob@example.com", Name = "Bob", Roles = [Roles.TokenManager], IsLocked = true },
            new Uri("http://localhost/"), Ct);

        var page = Render<UsersPage>();

        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll(".user-email").Count));
        var rows = page.FindAll("#users-table tbody tr");
        Assert.Equal(Me, rows[0].QuerySelector(".user-email")!.TextContent);
        Assert.Equal("never", rows[0].QuerySelector(".user-last-sign-in")!.TextContent);
        Assert.True(rows[0].QuerySelector(".remove-user")!.HasAttribute("disabled"));
        Assert.True(rows[0].QuerySelector(".lock-user")!.HasAttribute("disabled"));
        Assert.Equal("Bob", rows[1].QuerySelector(".user-name")!.TextContent);
        Assert.Equal("TokenManager", rows[1].QuerySelector(".user-role")!.TextContent.Trim());
        Assert.Equal("locked", rows[1].QuerySelector(".user-status")!.TextContent);
        Assert.False(rows[1].QuerySelector(".remove-user")!.HasAttribute("disabled"));
    }

    [Fact]
    public async Task Adding_a_user_without_a_password_shows_the_set_password_link_with_a_copy_button()
    {
        await SeedAsync();
        Render<MudPopoverProvider>();
        var host = Render<MudDialogProvider>();
        var page = Render<UsersPage>();
        page.WaitForAssertion(() => Assert.Single(page.FindAll(".user-email")));

        await page.InvokeAsync(() => page.Find("#new-user").Click());
        host.WaitForElement("#user-email");
        // Nothing typed yet: no complaints.
        Assert.Empty(host.FindAll(".mud-input-error"));
        host.Find("#user-email").Change("new@example.com");
        host.Find("#role-TokenManager").Change(true);
        await host.InvokeAsync(() => host.Find("#save-user").Click());

        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll(".user-email").Count));
        page.WaitForElement("#set-password-link");
        var link = page.Find("#set-password-link").GetAttribute("value")!;
        Assert.StartsWith("http://localhost/Account/SetPassword?userId=", link);
        Assert.NotNull(page.Find("#copy-set-password-link"));
        Assert.Contains("expires after 24 hours", page.Find("#set-password-link-note").TextContent);
        var added = page.FindAll("#users-table tbody tr")[1];
        Assert.Equal("TokenManager", added.QuerySelector(".user-role")!.TextContent.Trim());

        await page.InvokeAsync(() => page.Find("#dismiss-set-password-link").Click());
        Assert.DoesNotContain(link, page.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_duplicate_email_is_explained_in_the_form_which_stays_open_and_adds_nobody()
    {
        await SeedAsync();
        Render<MudPopoverProvider>();
        var host = Render<MudDialogProvider>();
        var page = Render<UsersPage>();
        page.WaitForAssertion(() => Assert.Single(page.FindAll(".user-email")));

        await page.InvokeAsync(() => page.Find("#new-user").Click());
        host.WaitForElement("#user-email").Change(Me.ToUpperInvariant());
        await host.InvokeAsync(() => host.Find("#save-user").Click());

        host.WaitForAssertion(() => Assert.Contains("already has the email address", host.Markup, StringComparison.Ordinal));
        Assert.NotNull(host.Find("#save-user"));
        Assert.Empty(page.FindAll("#set-password-link-panel"));
        Assert.Single(page.FindAll(".user-email"));
    }

    [Fact]
    public void An_account_manager_is_refused_by_the_service_even_if_the_page_is_rendered()
    {
        SignIn("am@example.com", Roles.AccountManager);

        var page = Render<UsersPage>();

        page.WaitForAssertion(() => Assert.Contains("needs the Administrator role", page.Find("#users-empty").TextContent, StringComparison.Ordinal));
    }

    /// <summary>The signed-in administrator as a stored user (same id as the test principal) and the roles start-up seeds.</summary>
    private async Task SeedAsync()
    {
        using var scope = Services.CreateScope();
        await DatabaseInitializer.SeedRolesAsync(scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole>>());
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var me = new ApplicationUser { Id = "id-" + Me, UserName = Me, Email = Me, EmailConfirmed = true };
        Assert.True((await users.CreateAsync(me, "Us3r-password!")).Succeeded);
        Assert.True((await users.AddToRoleAsync(me, Roles.Administrator)).Succeeded);
    }
}
