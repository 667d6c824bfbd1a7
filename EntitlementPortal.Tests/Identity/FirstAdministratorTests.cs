using System.Net;
using EntitlementPortal.Identity;
using EntitlementPortal.Tests.Support;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace EntitlementPortal.Tests.Identity;

public sealed class FirstAdministratorTests : IAsyncDisposable
{
    private const string Password = "Sup3r-secret!";
    private readonly PortalAppFactory app = new();

    private async Task<IList<string>> RolesOfAsync(string email)
    {
        using var scope = app.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var user = await users.FindByEmailAsync(email);
        Assert.NotNull(user);
        return await users.GetRolesAsync(user);
    }

    private Task<int> UserCountAsync() => app.WithDbAsync(db => Task.FromResult(db.Users.Count()));

    [Fact]
    public async Task Login_page_offers_to_create_the_first_administrator_while_no_user_exists()
    {
        var client = AccountSession.CreateClient(app);
        var page = await client.GetStringAsync("/Account/Login", TestContext.Current.CancellationToken);
        Assert.Contains("Create the first administrator", page);
    }

    [Fact]
    public async Task First_person_to_register_becomes_administrator_and_is_signed_in()
    {
        var client = AccountSession.CreateClient(app);

        var response = await AccountSession.RegisterAsync(client, "first@example.com", Password);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal([Roles.Administrator], await RolesOfAsync("first@example.com"));
        var dashboard = await client.GetAsync("/", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, dashboard.StatusCode);
    }

    [Fact]
    public async Task Registration_after_the_first_user_is_refused_with_a_clear_message_and_stores_nothing()
    {
        await AccountSession.RegisterAsync(AccountSession.CreateClient(app), "first@example.com", Password);
        var stranger = AccountSession.CreateClient(app);

        var form = await stranger.GetStringAsync("/Account/Register", TestContext.Current.CancellationToken);
        Assert.Contains("Registration is closed", form);
        Assert.DoesNotContain("Input.Password", form);

        // Posting the form anyway (a script, or a page opened before the first admin existed) is refused too.
        var post = await stranger.PostAsync("/Account/Register", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "register",
            ["Input.Email"] = "second@example.com",
            ["Input.Password"] = Password,
            ["Input.ConfirmPassword"] = Password,
        }), TestContext.Current.CancellationToken);
        Assert.NotEqual(HttpStatusCode.Redirect, post.StatusCode);
        Assert.Equal(1, await UserCountAsync());
    }

    [Fact]
    public async Task Concurrent_first_registrations_make_exactly_one_administrator()
    {
        var attempts = Enumerable.Range(0, 5).Select(i =>
            AccountSession.RegisterAsync(AccountSession.CreateClient(app), $"racer{i}@example.com", Password));

        await Task.WhenAll(attempts);

        Assert.Equal(1, await UserCountAsync());
    }

    [Fact]
    public async Task Registrations_racing_on_two_instances_make_exactly_one_administrator()
    {
        var hold = new TransactionHold();
        await using var other = PortalAppFactory.SecondInstanceOf(app);
        other.DatabaseInterceptors.Add(hold);
        _ = app.Services;
        _ = other.Services;

        // An enrollment on the other instance waits just before its transaction while people register on both
        // instances: it must hold nothing they need, and then find the administrator they made.
        var held = hold.RunAsync(() => EnrollAsync(other, "held@example.com"));
        try
        {
            await hold.WaitUntilReachedAsync(held, TestContext.Current.CancellationToken);
            var attempts = Enumerable.Range(0, 6).Select(i =>
                AccountSession.RegisterAsync(AccountSession.CreateClient(i % 2 == 0 ? app : other), $"racer{i}@example.com", Password));
            await Task.WhenAll(attempts).WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);
        }
        finally
        {
            hold.Release();
        }

        Assert.Equal(FirstAdministrator.ClosedCode, Assert.Single((await held).Errors).Code);
        var user = Assert.Single(await app.WithDbAsync(db => db.Users.Select(u => u.Email!).ToListAsync()));
        Assert.StartsWith("racer", user);
        Assert.Equal([Roles.Administrator], await RolesOfAsync(user));
    }

    private static async Task<IdentityResult> EnrollAsync(PortalAppFactory instance, string email)
    {
        await using var scope = instance.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<FirstAdministrator>().EnrollAsync(email, Password);
    }

    [Fact]
    public async Task Weak_password_is_refused_with_the_reason_and_nothing_is_stored()
    {
        var client = AccountSession.CreateClient(app);

        var response = await AccountSession.RegisterAsync(client, "first@example.com", "password");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Passwords must have at least one", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal(0, await UserCountAsync());
    }

    public ValueTask DisposeAsync() => app.DisposeAsync();
}
