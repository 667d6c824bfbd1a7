using System.Security.Claims;
using EntitlementPortal.Features.ApiKeys;
using EntitlementPortal.Features.Shared;
using EntitlementPortal.Identity;
using EntitlementPortal.Tests.Support;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace EntitlementPortal.Tests.Permissions;

/// <summary>The columns of the permission matrix: who calls.</summary>
public enum Caller
{
    Administrator,
    AccountManager,
    TokenManager,
    RepositoryAdmin,
    WriteOwner,
    WriteNonOwner,
    Read,
    NoAccess,
    Anonymous,
}

/// <summary>One signed-in person of the matrix: user id, the actor services get, the API key the API gets.</summary>
public sealed record MatrixPerson(Caller Caller, string UserId, string Email, Actor Actor, string? ApiKey);

/// <summary>
/// The people of the matrix, made once per app through Identity and the API key service: three with a global
/// role, five plain accounts that repository grants make an admin, writers, a reader (through a team) or nobody.
/// </summary>
public sealed class MatrixPeople
{
    private readonly Dictionary<Caller, MatrixPerson> people = [];

    public MatrixPerson this[Caller caller] => people[caller];

    public const string Password = "Matr1x-password!";

    public static Actor Anonymous { get; } = new(new ClaimsPrincipal(new ClaimsIdentity()), "127.0.0.1");

    public static async Task<MatrixPeople> CreateAsync(IServiceProvider services)
    {
        var made = new MatrixPeople();
        foreach (var caller in Enum.GetValues<Caller>().Where(c => c != Caller.Anonymous))
        {
            made.people[caller] = await PersonAsync(services, caller);
        }
        return made;
    }

    private static async Task<MatrixPerson> PersonAsync(IServiceProvider root, Caller caller)
    {
        using var scope = root.CreateScope();
        var services = scope.ServiceProvider;
        var users = services.GetRequiredService<UserManager<ApplicationUser>>();
        var email = $"{caller.ToString().ToLowerInvariant()}@matrix.example";
        var user = new ApplicationUser { UserName = email, Email = email, EmailConfirmed = true };
        Assert.True((await users.CreateAsync(user, Password)).Succeeded);
        var role = caller switch
        {
            Caller.Administrator => Roles.Administrator,
            Caller.AccountManager => Roles.AccountManager,
            Caller.TokenManager => Roles.TokenManager,
            _ => null,
        };
        if (role is not null)
        {
            Assert.True((await users.AddToRoleAsync(user, role)).Succeeded);
        }
        var principal = await services.GetRequiredService<IUserClaimsPrincipalFactory<ApplicationUser>>().CreateAsync(user);
        var actor = new Actor(principal, "127.0.0.1");
        var key = await services.GetRequiredService<ApiKeyService>().CreateAsync(actor, new CreateApiKeyInput { Name = "matrix" });
        return new MatrixPerson(caller, user.Id, email, actor, key.Secret);
    }
}
