using System.Net;
using EntitlementPortal.Identity;
using EntitlementPortal.Tests.Support;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace EntitlementPortal.Tests.Identity;

/// <summary>The bootstrap administrator (automated deployments) and password sign-in over real HTTP.</summary>
public sealed class SignInTests : IAsyncDisposable
{
    private const string Email = "ops@example.com";
    private const string Password = "B00tstrap-secret!";
    private readonly PortalAppFactory app = new()
    {
        Settings =
        {
            ["Bootstrap:AdminEmail"] = Email,
            ["Bootstrap:AdminPassword"] = Password,
        },
    };

    [Fact]
    public async Task Bootstrap_settings_create_the_administrator_at_startup()
    {
        using var scope = app.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var admin = await users.FindByEmailAsync(Email);

        Assert.NotNull(admin);
        Assert.True(await users.IsInRoleAsync(admin, Roles.Administrator));
        Assert.False(await scope.ServiceProvider.GetRequiredService<FirstAdministrator>().IsEnrollmentOpenAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Correct_password_signs_in_and_opens_the_dashboard()
    {
        var client = AccountSession.CreateClient(app);

        var response = await AccountSession.SignInAsync(client, Email, Password);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var dashboard = await client.GetStringAsync("/", TestContext.Current.CancellationToken);
        Assert.Contains("Dashboard", dashboard);
        Assert.Contains(Email, dashboard);
    }

    [Fact]
    public async Task Wrong_password_shows_an_error_and_does_not_sign_in()
    {
        var client = AccountSession.CreateClient(app);

        var response = await AccountSession.SignInAsync(client, Email, "Wrong-password1!");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("the email or password is wrong", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        var dashboard = await client.GetAsync("/", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Redirect, dashboard.StatusCode);
    }

    [Fact]
    public async Task Five_wrong_passwords_lock_the_account_even_against_the_right_one()
    {
        var client = AccountSession.CreateClient(app);
        for (var i = 0; i < 5; i++)
        {
            await AccountSession.SignInAsync(client, Email, $"Wrong-password{i}!");
        }

        var response = await AccountSession.SignInAsync(client, Email, Password);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/Account/Lockout", new Uri(new Uri("http://localhost"), response.Headers.Location!).AbsolutePath);
    }

    [Fact]
    public async Task Sign_out_ends_the_session()
    {
        var client = AccountSession.CreateClient(app);
        await AccountSession.SignInAsync(client, Email, Password);

        var signOut = await AccountSession.SubmitFormAsync(client, "/", new Dictionary<string, string> { ["ReturnUrl"] = "" }, "/Account/Logout");

        Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
        var dashboard = await client.GetAsync("/", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Redirect, dashboard.StatusCode);
    }

    public ValueTask DisposeAsync() => app.DisposeAsync();
}
