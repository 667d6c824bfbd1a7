using System.Security.Claims;
using EntitlementPortal.Data;
using EntitlementPortal.Features.Shared;
using EntitlementPortal.Features.Users;
using EntitlementPortal.Identity;
using EntitlementPortal.Tests.Support;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace EntitlementPortal.Tests.Users;

/// <summary>The app's user services over a real SQLite file, with the roles seeded as start-up seeds them and a movable clock.</summary>
internal sealed class UserTestServices : IDisposable
{
    public static readonly Uri PortalBase = new("https://portal.example.com/");

    private readonly ServiceProvider services;

    public UserTestServices()
    {
        var collection = new ServiceCollection();
        // Before the app's registration, which only adds the system clock when none is registered.
        collection.AddSingleton<TimeProvider>(Clock);
        Database.AddTo(collection);
        services = collection.BuildServiceProvider();
        using var scope = services.CreateScope();
        DatabaseInitializer.SeedRolesAsync(scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole>>()).GetAwaiter().GetResult();
    }

    public TestDatabase Database { get; } = new();

    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero));

    public IServiceProvider Services => services;

    public UserAdministration Administration => services.GetRequiredService<UserAdministration>();

    public UserDirectory Directory => services.GetRequiredService<UserDirectory>();

    /// <summary>An administrator actor that is not a stored user: the self rules never apply to it.</summary>
    public static Actor Outsider => TestDatabase.Administrator;

    public async Task<UserView> AddAsync(string email, params string[] roles) =>
        (await Administration.CreateAsync(Outsider, new NewUserInput { Email = email, Roles = [.. roles], Password = "Us3r-password!" },
            PortalBase, TestContext.Current.CancellationToken)).User;

    /// <summary>The actor a stored user is when they act (their id and roles, as a sign-in would give them).</summary>
    public static Actor ActorFor(UserView user) => new(new ClaimsPrincipal(new ClaimsIdentity(
        [new Claim(ClaimTypes.NameIdentifier, user.Id), new Claim(ClaimTypes.Name, user.Email), .. user.Roles.Select(r => new Claim(ClaimTypes.Role, r))],
        "Test")), "198.51.100.4");

    public async Task<ApplicationUser> StoredAsync(string id)
    {
        using var scope = services.CreateScope();
        return (await scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>().FindByIdAsync(id))!;
    }

    public void Dispose()
    {
        services.Dispose();
        Database.Dispose();
    }
}
